"""Charts as PNG files, for complaint statistics and consultation results alike: a
horizontal bar chart for counts per label, a line chart for counts over time.

Rendering is headless (matplotlib's Agg backend). Text goes to matplotlib in logical order:
matplotlib 3.11 lays it out with libraqm (HarfBuzz shaping, FriBiDi ordering), so Arabic
is joined and reads right to left as written — shaping or reordering it beforehand would
draw it twice reversed. `rtl=True` also mirrors the layout (bars grow leftwards, labels on
the right). The font is the first installed one with Arabic and Tifinagh glyphs (DejaVu
Sans ships with matplotlib), with the default font as a fallback. For a council meeting:
whole-number count axes, each bar's count and share, "n = …" under the title, and long
titles wrapped rather than cut.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import MaxNLocator

# Fonts tried in order; matplotlib falls back from one to the next glyph by glyph.
PREFERRED_FONTS = ("Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans", "Amiri")
# Emoji (category and option labels carry some) are in no chart font: they are left out.
EMOJI = re.compile("[\U0001f000-\U0001faff\ufe0f\u200d]")
BAR_COLOUR = "#1f6f8b"
DPI = 120
TITLE_WIDTH = 60  # characters per title line before it wraps


@cache
def chart_fonts() -> tuple[str, ...]:
    """The installed fonts among the preferred ones (the default one if none is)."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    found = tuple(name for name in PREFERRED_FONTS if name in installed)
    return found or (matplotlib.rcParams["font.family"][0],)


def chart_text(text: str) -> str:
    """A label as it must be handed to matplotlib: without emoji (no chart font draws
    them), spaces folded, otherwise as written (in logical order)."""
    return " ".join(EMOJI.sub("", text).split())


def _figure(title: str, rows: int, subtitle: str, *, rtl: bool) -> tuple[Figure, object]:
    lines = textwrap.wrap(chart_text(title), TITLE_WIDTH) or [""]
    height = max(3.0, 1.4 + 0.38 * rows + 0.25 * len(lines))
    # Arabic letters may reach past their advance width, which the layout measures: a
    # margin keeps a label's last stroke on the picture.
    figure = Figure(figsize=(8.0, height), dpi=DPI, layout=ConstrainedLayoutEngine(w_pad=0.12))
    axes = figure.add_subplot()
    side = "right" if rtl else "left"
    axes.set_title("\n".join([*lines, subtitle]), loc=side, fontsize=13)
    for spine in ("top", "left" if rtl else "right"):
        axes.spines[spine].set_visible(False)
    return figure, axes


def _share(value: float, total: float) -> str:
    return f"{_number(value)} ({round(100 * value / total)} %)" if total else _number(value)


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
    total: float | None = None,
) -> Path:
    """Horizontal bars (see `bar_figure`), written as PNG."""
    return _save(bar_figure(title, labels, values, rtl=rtl, total=total), path)


def bar_figure(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    rtl: bool = False,
    total: float | None = None,
    value_labels: Sequence[str] | None = None,
    subtitle: str | None = None,
) -> Figure:
    """Horizontal bars, first label on top, each bar with its count and its share of
    `total` (the sum of the values unless given: who answered, for a question where one
    may pick several), under the title and "n = total". A chart whose values do not add
    up to anything (people counted once per column) gives its own `value_labels` and
    `subtitle` instead."""
    _check(labels, values)
    total = sum(values) if total is None else total
    shown = value_labels or [_share(value, total) for value in values]
    _check(labels, shown)
    with matplotlib.rc_context({"font.family": list(chart_fonts())}):
        subtitle = f"n = {_number(total)}" if subtitle is None else subtitle
        figure, axes = _figure(title, len(labels), subtitle, rtl=rtl)
        positions = range(len(labels))
        axes.barh(positions, values, color=BAR_COLOUR)
        axes.set_yticks(positions, [chart_text(label) for label in labels])
        axes.invert_yaxis()
        axes.set_xlim(0, max([*values, 1]) * 1.25)  # room for "12 (44 %)" past the bar
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        if rtl:
            axes.invert_xaxis()
            axes.yaxis.tick_right()
        for position, value, text in zip(positions, values, shown, strict=True):
            # Each value just past its bar's end, on the side the bars grow to.
            axes.annotate(
                text,
                (value, position),
                xytext=(-4 if rtl else 4, 0),
                textcoords="offset points",
                ha="right" if rtl else "left",
                va="center",
            )
        return figure


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
        figure, axes = _figure(title, 6, f"n = {_number(sum(values))}", rtl=rtl)
        positions = list(range(len(labels)))
        axes.plot(positions, values, marker="o", color=BAR_COLOUR, clip_on=False)
        step = max(1, len(labels) // 12)  # at most about twelve tick labels
        shown = positions[::step]
        axes.set_xticks(shown, [chart_text(labels[i]) for i in shown], rotation=45, ha="right")
        axes.set_ylim(0, max([*values, 1]) * 1.15)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.grid(axis="y", alpha=0.3)
        if rtl:
            axes.invert_xaxis()
            axes.yaxis.tick_right()
        return _save(figure, path)


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
