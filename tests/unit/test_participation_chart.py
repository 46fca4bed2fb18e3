"""The participation chart: a bar per capability and gender, labelled with the count as it
may be shown — a hidden count (1 to 4 people) is a bar of no length labelled "< 5" — and,
in Arabic, labels drawn right to left and joined, checked on the glyphs matplotlib lays
out for a whole label."""

from __future__ import annotations

import warnings
from datetime import date
from functools import partial
from pathlib import Path

from matplotlib import font_manager
from matplotlib.textpath import TextToPath

from bot.cli.participation import participation_figure, write_chart
from handlers.languages import translate
from handlers.participation import NoShows, Participation, ParticipationReport, Period

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def by_gender(capability: str, women: int, men: int, unknown: int) -> Participation:
    counts = (("female", women), ("male", men), ("unknown", unknown))
    return Participation(capability, women + men + unknown, counts, (), ())


REPORT = ParticipationReport(
    Period(date(2026, 1, 1), date(2026, 12, 31)),
    None,
    (
        by_gender("respondents", 6, 2, 0),
        by_gender("complaint_authors", 12, 9, 1),
        by_gender("registrants", 5, 5, 0),
        by_gender("attendees", 3, 4, 0),
    ),
    NoShows(10, 7),
)


def drawn_glyphs(text: str, font_properties) -> list[int]:
    """The glyphs matplotlib lays out for `text`, in visual order (left to right)."""
    font = font_manager.get_font(font_manager.findfont(font_properties))
    glyphs = TextToPath().get_glyphs_with_font(font, text)[0]
    return [int(glyph_id.rsplit("-", 1)[1], 16) for glyph_id, *_ in glyphs]


def test_counts_as_they_may_be_shown():
    figure = participation_figure(partial(translate, "fr"), REPORT, rtl=False)
    [axes] = figure.axes
    assert [text.get_text() for text in axes.texts] == [
        "6", "< 5", "0", "12", "9", "< 5", "5", "5", "0", "< 5", "< 5", "0",
    ]  # fmt: skip
    assert [bar.get_width() for bar in axes.patches] == [6, 0, 0, 12, 9, 0, 5, 5, 0, 0, 0, 0]
    labels = [label.get_text() for label in axes.get_yticklabels()]
    assert labels[:2] == ["Répondants — Femmes", "Répondants — Hommes"]
    assert labels[-1] == "Présents — Non précisé"
    title = axes.get_title(loc="left")
    assert title.startswith("Participation par genre, du 2026-01-01 au 2026-12-31\n")
    assert "« < 5 »" in title and "n =" not in title, "no sum of people counted per column"


def test_arabic_labels_read_right_to_left_joined():
    figure = participation_figure(partial(translate, "ar"), REPORT, rtl=True)
    [axes] = figure.axes
    assert axes.yaxis.get_ticks_position() == "right"
    label = axes.get_yticklabels()[0]
    assert label.get_text() == "المجيبون — نساء", "handed over as written (logical order)"
    font = font_manager.get_font(font_manager.findfont(label.get_fontproperties()))
    # نساء drawn: hamza, final alef, medial seen, initial noon — from left to right.
    women = [font.get_char_index(c) for c in (0x0621, 0xFE8E, 0xFEB4, 0xFEE7)]
    glyphs = drawn_glyphs(label.get_text(), label.get_fontproperties())
    start = next(i for i in range(len(glyphs)) if glyphs[i : i + 4] == women)
    dash = glyphs.index(font.get_char_index(ord("—")))
    assert start < dash, "the second word is drawn at the left of the first"
    assert axes.get_title(loc="right").startswith("المشاركة حسب النوع")


def test_the_chart_is_written_without_missing_glyphs(tmp_path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" fails the test
        path = write_chart(partial(translate, "ar"), REPORT, tmp_path / "out" / "p.png", rtl=True)
    assert path.read_bytes()[:8] == PNG_SIGNATURE and path.stat().st_size > 5_000
