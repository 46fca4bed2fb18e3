"""Charts: PNG files are written headless; Arabic is drawn joined and right to left — checked
on the glyphs matplotlib lays out, not on the characters handed to it — and every glyph
drawn exists in the chosen font (matplotlib warns otherwise); counts read as a council
expects them."""

from __future__ import annotations

import re
import struct
import warnings
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.textpath import TextToPath

from surveys.charts import bar_chart, bar_figure, chart_fonts, chart_text, line_chart

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ARABIC_LABELS = ["الطرق والأرصفة", "الإنارة العمومية", "النفايات والنظافة"]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, "not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_backend_is_headless():
    import surveys.charts  # noqa: F401  (choosing the backend is part of importing it)

    assert matplotlib.get_backend().lower() == "agg"


ARABIC_LETTERS = re.compile("[\u0600-\u06ff]")


def drawn_glyphs(text: str, font_properties) -> list[int]:
    """The glyphs matplotlib draws for `text`, left to right (its own text layout)."""
    font = font_manager.get_font(font_manager.findfont(font_properties))
    glyphs = TextToPath().get_glyphs_with_font(font, text)[0]
    return [
        int(glyph_id.rsplit("-", 1)[1], 16) for glyph_id, *_ in sorted(glyphs, key=lambda g: g[1])
    ]


def reads_right_to_left_joined(text: str, font_properties) -> bool:
    """The text's first Arabic letter is drawn at the right, in its joining form."""
    font = font_manager.get_font(font_manager.findfont(font_properties))
    word = ARABIC_WORD.search(text).group(0)
    glyphs = drawn_glyphs(word, font_properties)
    first = glyphs[-1]  # rightmost
    isolated = font.get_char_index(ord(word[0]))
    return first in {font.get_char_index(form) for form in JOINING_FORMS[word[0]]} - {isolated}


ARABIC_WORD = re.compile("[\u0600-\u06ff]{2,}")
# The joining (initial) forms of the letters the tests' words start with.
JOINING_FORMS = {"ب": [0xFE91], "ش": [0xFEB7], "س": [0xFEB3], "ن": [0xFEE7]}


def test_arabic_is_handed_to_matplotlib_as_written_and_drawn_right_to_left():
    assert chart_text("بيت") == "بيت", "matplotlib shapes and orders it: no second pass"
    assert reads_right_to_left_joined("بيت", FontProperties(family="DejaVu Sans"))
    assert chart_text("Derb Jdid") == "Derb Jdid"
    assert chart_text("🛣️ Voirie") == "Voirie", "no font here draws emoji"


@pytest.mark.parametrize("rtl", [False, True])
def test_every_arabic_text_of_a_chart_reads_right_to_left(rtl: bool):
    figure = bar_figure("شكايات الإنارة حسب الحي", ["سيدي بلقاس", "نواحي المدينة", "Derb Jdid"],
                        [12, 5, 3], rtl=rtl, total=27)  # fmt: skip
    arabic = [t for t in figure.findobj(Text) if ARABIC_LETTERS.search(t.get_text())]
    assert len({t.get_text() for t in arabic}) == 3  # the title and two labels
    for text in arabic:
        assert reads_right_to_left_joined(text.get_text(), text.get_fontproperties())


def test_a_chart_for_a_council_meeting(tmp_path: Path):
    title = "Êtes-vous satisfait de la propreté des rues et des places de votre quartier ?"
    figure = bar_figure(title, ["Oui", "Non", "Sans avis"], [12, 9, 6], total=30)
    texts = [t.get_text() for t in figure.findobj(Text)]
    heading = next(text for text in texts if text.startswith("Êtes-vous"))
    assert heading.endswith("\nn = 30") and heading.count("\n") == 2, "wrapped, then n"
    assert "12 (40 %)" in texts and "6 (20 %)" in texts
    [axes] = figure.axes
    ticks = axes.xaxis.get_major_locator().tick_values(0, 3)
    assert all(float(tick).is_integer() for tick in ticks), "counts are whole"


@pytest.mark.parametrize("rtl", [False, True])
def test_bar_chart_writes_a_png_without_missing_glyphs(tmp_path: Path, rtl: bool):
    labels = [*ARABIC_LABELS, "ⵜⴰⵛⵍⵃⵉⵜ", "Voirie et trottoirs"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" fails the test
        path = bar_chart(tmp_path / "out" / "bars.png", "الشكايات حسب الفئة", labels,
                         [12, 5, 0, 3, 7], rtl=rtl)  # fmt: skip
    assert path == tmp_path / "out" / "bars.png"
    assert path.stat().st_size > 5_000
    width, height = png_size(path)
    assert width == 960 and height >= 360


def test_line_chart_writes_a_png(tmp_path: Path):
    months = [f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = line_chart(tmp_path / "month.png", "Plaintes déposées par mois", months,
                          list(range(13)))  # fmt: skip
    assert png_size(path)[0] == 960


def test_labels_and_values_must_pair_up(tmp_path: Path):
    with pytest.raises(ValueError, match="2 labels for 3 values"):
        bar_chart(tmp_path / "x.png", "t", ["a", "b"], [1, 2, 3])


def test_a_font_with_arabic_glyphs_is_chosen():
    assert "DejaVu Sans" in chart_fonts(), "matplotlib ships DejaVu Sans, which has Arabic"
