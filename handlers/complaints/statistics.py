"""The figures the commune reports on its complaints: how many per status, category,
quarter and month of filing, how fast they are acknowledged and resolved, how many answers
came in time, and what citizens thought of them.

One query per figure group, on the needed columns only; medians and local months are
computed here, the same way on SQLite and PostgreSQL.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.complaints.categories import CATEGORIES
from handlers.complaints.statuses import OUTSIDE_COMPETENCE, REJECTED, RESOLVED, STATUSES
from handlers.turns import CoreSettings
from storage.unit_of_work import UnitOfWork

# An answer, for the on-time share: the complaint was resolved, rejected with a reason, or
# the citizen was told where to turn.
ANSWERED_STATUSES = (RESOLVED, REJECTED, OUTSIDE_COMPETENCE)
DAY = timedelta(days=1)

Counts = tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class ComplaintStatistics:
    """A snapshot of the figures; counts are (key, count) pairs in display order."""

    total: int
    by_status: Counts  # every status, in the order of their lifecycle
    by_category: Counts  # every category of the table, then ids no longer offered
    by_quarter: Counts  # most complaints first; "" when no quarter was given
    by_month: Counts  # "YYYY-MM" in local time, first to last month, empty months as 0
    median_days_to_acknowledge: float | None
    acknowledged: int
    median_days_to_resolve: float | None
    resolved: int
    answered: int  # resolved, rejected or outside competence
    answered_on_time: int  # of those, by their answer date
    rating_average: float | None
    ratings: int

    @property
    def on_time_share(self) -> float | None:
        return None if not self.answered else self.answered_on_time / self.answered


def ordered_counts(counts: Mapping[str | None, int], order: Iterable[str]) -> Counts:
    """Counts of every key of `order` (0 when absent), then other keys by count."""
    known = list(order)
    others = sorted(
        ((key or "", count) for key, count in counts.items() if key not in known),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return tuple((key, counts.get(key, 0)) for key in known) + tuple(others)


def by_local_month(moments: Iterable[datetime], timezone: str) -> Counts:
    """How many moments fall in each local month, from the first to the last."""
    zone = ZoneInfo(timezone)
    months = Counter(moment.astimezone(zone).strftime("%Y-%m") for moment in moments)
    if not months:
        return ()
    year, month = map(int, min(months).split("-"))
    last = max(months)
    filled = []
    while (key := f"{year:04d}-{month:02d}") <= last:
        filled.append((key, months.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(filled)


def median_days(durations: list[timedelta]) -> float | None:
    return statistics.median(duration / DAY for duration in durations) if durations else None


async def gather_complaint_statistics(
    uow: UnitOfWork, settings: CoreSettings
) -> ComplaintStatistics:
    """Every figure, from the complaints as they stand now."""
    reports = uow.complaint_reports
    by_status = ordered_counts(await reports.count_by("status"), STATUSES)
    by_quarter = ordered_counts(await reports.count_by("quarter"), ())
    acknowledgements = await reports.durations("acknowledged_at")
    resolutions = await reports.durations("resolved_at")
    answered, on_time = await reports.answered_in_time(ANSWERED_STATUSES)
    average, ratings = await reports.ratings()
    return ComplaintStatistics(
        total=sum(count for _status, count in by_status),
        by_status=by_status,
        by_category=ordered_counts(await reports.count_by("category"), CATEGORIES),
        by_quarter=by_quarter,
        by_month=by_local_month(await reports.filing_times(), settings.timezone),
        median_days_to_acknowledge=median_days(acknowledgements),
        acknowledged=len(acknowledgements),
        median_days_to_resolve=median_days(resolutions),
        resolved=len(resolutions),
        answered=answered,
        answered_on_time=on_time,
        rating_average=average,
        ratings=ratings,
    )
