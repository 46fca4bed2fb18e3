"""Charts as PNG files, for complaint statistics and consultation results alike: a
horizontal bar chart for counts per label, a line chart for counts over time.

Rendering is headless (matplotlib's Agg backend). Arabic labels are shaped (joined letter
forms, which matplotlib does not do) and put in visual order, so they read right to left;
`rtl=True` also mirrors the layout (bars grow leftwards, labels on the right). The font is
the first installed one with Arabic and Tifinagh glyphs (DejaVu Sans ships with
matplotlib), with the default font as a fallback.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import arabic_reshaper
import matplotlib
from bidi import get_display

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure

# Fonts tried in order; matplotlib falls back from one to the next glyph by glyph.
PREFERRED_FONTS = ("Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans", "Amiri")
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# Emoji (category and option labels carry some) are in no chart font: they are left out.
EMOJI = re.compile("[\U0001f000-\U0001faff\ufe0f\u200d]")
BAR_COLOUR = "#1f6f8b"
DPI = 120


@cache
def chart_fonts() -> tuple[str, ...]:
    """The installed fonts among the preferred ones (the default one if none is)."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    found = tuple(name for name in PREFERRED_FONTS if name in installed)
    return found or (matplotlib.rcParams["font.family"][0],)


def chart_text(text: str) -> str:
    """A label as it must be drawn: without emoji, Arabic shaped and in visual
    (right-to-left) order."""
    text = " ".join(EMOJI.sub("", text).split())
    if not ARABIC.search(text):
        return text
    return get_display(arabic_reshaper.reshape(text))


def _figure(title: str, rows: int, *, rtl: bool) -> tuple[Figure, object]:
    height = max(3.0, 1.2 + 0.38 * rows)
    figure = Figure(figsize=(8.0, height), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(chart_text(title), loc="right" if rtl else "left", fontsize=13)
    for side in ("top", "left" if rtl else "right"):
        axes.spines[side].set_visible(False)
    return figure, axes


def _save(figure: Figure, path: Path | str) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target, format="png")
    return target


def _check(labels: Sequence[str], values: Sequence[float]) -> None:
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels for {len(values)} values")


def bar_chart(
    path: Path | str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    rtl: bool = False,
) -> Path:
    """Horizontal bars, first label on top, each bar with its value; written as PNG."""
    _check(labels, values)
    with matplotlib.rc_context({"font.family": list(chart_fonts())}):
        figure, axes = _figure(title, len(labels), rtl=rtl)
        positions = range(len(labels))
        axes.barh(positions, values, color=BAR_COLOUR)
        axes.set_yticks(positions, [chart_text(label) for label in labels])
        axes.invert_yaxis()
        axes.set_xlim(0, max([*values, 1]) * 1.15)
        if rtl:
            axes.invert_xaxis()
            axes.yaxis.tick_right()
        for position, value in zip(positions, values, strict=True):
            # Each value just past its bar's end, on the side the bars grow to.
            axes.annotate(
                _number(value),
                (value, position),
                xytext=(-4 if rtl else 4, 0),
                textcoords="offset points",
                ha="right" if rtl else "left",
                va="center",
            )
        return _save(figure, path)


def line_chart(
    path: Path | str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    rtl: bool = False,
) -> Path:
    """Values over time (labels are periods, in order), with markers; written as PNG."""
    _check(labels, values)
    with matplotlib.rc_context({"font.family": list(chart_fonts())}):
        figure, axes = _figure(title, 6, rtl=rtl)
        positions = list(range(len(labels)))
        axes.plot(positions, values, marker="o", color=BAR_COLOUR, clip_on=False)
        step = max(1, len(labels) // 12)  # at most about twelve tick labels
        shown = positions[::step]
        axes.set_xticks(shown, [chart_text(labels[i]) for i in shown], rotation=45, ha="right")
        axes.set_ylim(0, max([*values, 1]) * 1.15)
        axes.grid(axis="y", alpha=0.3)
        if rtl:
            axes.invert_xaxis()
            axes.yaxis.tick_right()
        return _save(figure, path)


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
