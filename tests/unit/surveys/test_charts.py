"""Charts: PNG files are written headless, Arabic labels are shaped and laid out right to
left, and every glyph drawn exists in the chosen font (matplotlib warns otherwise)."""

from __future__ import annotations

import struct
import unicodedata
import warnings
from pathlib import Path

import matplotlib
import pytest

from surveys.charts import bar_chart, chart_fonts, chart_text, line_chart

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


def test_arabic_is_shaped_and_put_in_visual_order():
    shown = chart_text("الطرق")
    # Joined letter forms come from the Arabic Presentation Forms blocks...
    assert all(
        "ARABIC LETTER" in unicodedata.name(c) and "FORM" in unicodedata.name(c) for c in shown
    )
    # ...and the first letter of the word (alef) is drawn last, at the right.
    assert unicodedata.name(shown[-1]).startswith("ARABIC LETTER ALEF")
    assert chart_text("Derb Jdid") == "Derb Jdid"
    assert chart_text("🛣️ Voirie") == "Voirie", "no font here draws emoji"


def test_a_mixed_label_keeps_its_latin_words_readable():
    shown = chart_text("حي Derb Jdid")
    assert "Derb Jdid" in shown


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
