"""The participation chart, for the CLI and the back-office alike: a bar per capability
and gender, each labelled with its count as it may be shown (a hidden count is a bar of
no length labelled "< 5"). matplotlib is imported on first use only."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from handlers.languages import Translator
from handlers.participation.report import ParticipationReport, chart_title, gender_bars

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def participation_figure(t: Translator, report: ParticipationReport, *, rtl: bool) -> Figure:
    """Bars per capability and gender (`surveys.charts.bar_figure`), each labelled with
    its count as it may be shown: a hidden count is a bar of no length labelled "< 5".
    People are counted once per capability, so no total is given."""
    from surveys.charts import bar_figure

    bars = gender_bars(t, report)
    return bar_figure(
        chart_title(t, report),
        [bar.label for bar in bars],
        [bar.height for bar in bars],
        rtl=rtl,
        value_labels=[bar.shown for bar in bars],
        subtitle=t("participation.chart_note"),
    )


def participation_png(t: Translator, report: ParticipationReport, *, rtl: bool) -> bytes:
    """The chart as the bytes of a PNG picture."""
    picture = io.BytesIO()
    participation_figure(t, report, rtl=rtl).savefig(picture, format="png")
    return picture.getvalue()
