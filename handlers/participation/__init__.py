"""Participation: who took part in consultations, complaints and workshops, by gender, age
bracket and quarter — the figures the commune reports for its gender approach, shown under
the small-count rule. Everything else uses participation through these exports."""

from handlers.participation.chart import participation_figure, participation_png
from handlers.participation.report import (
    CAPABILITIES,
    NOT_SHOWN,
    SMALL,
    SMALL_COUNT,
    Bar,
    NoShows,
    Participation,
    ParticipationReport,
    Period,
    chart_title,
    export_rows,
    footer_lines,
    gather_participation,
    gender_bars,
    header_lines,
    report_period,
    shown_count,
    shown_share,
    table_rows,
)

__all__ = [
    "CAPABILITIES",
    "NOT_SHOWN",
    "SMALL",
    "SMALL_COUNT",
    "Bar",
    "NoShows",
    "Participation",
    "ParticipationReport",
    "Period",
    "chart_title",
    "export_rows",
    "footer_lines",
    "gather_participation",
    "gender_bars",
    "header_lines",
    "participation_figure",
    "participation_png",
    "report_period",
    "shown_count",
    "shown_share",
    "table_rows",
]
