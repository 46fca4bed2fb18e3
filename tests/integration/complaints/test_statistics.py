"""The complaint statistics on SQLite and PostgreSQL: counts, local months, medians,
answers on time and satisfaction, from rows whose figures are known."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handlers.complaints.categories import CATEGORIES
from handlers.complaints.statistics import (
    ComplaintStatistics,
    by_local_month,
    gather_complaint_statistics,
    ordered_counts,
)
from handlers.complaints.statuses import STATUSES
from tests.complaint_rows import add_citizen, add_complaints, complaint_values

DAY = timedelta(days=1)
JAN = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def closed(filed: datetime, status: str, after: timedelta, **more) -> dict:
    """Acknowledged a day after filing, closed `after` filing."""
    values = {"status": status, "acknowledged_at": filed + DAY, "closed_at": filed + after}
    if status == "resolved":
        values["resolved_at"] = filed + after
    return values | more


async def statistics(db, settings) -> ComplaintStatistics:
    async with db.transaction() as uow:
        return await gather_complaint_statistics(uow, settings)


async def seed(db) -> None:
    citizen = await add_citizen(db, JAN)
    nov = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)
    end_of_january = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)  # 1 February in Taroudant
    rows = [
        # filed, overrides
        (JAN, {"category": "waste", "quarter": "Medina"}),
        (JAN, {"acknowledged_at": JAN + 3 * DAY, "status": "acknowledged"}),
        (JAN, {"acknowledged_at": JAN + 5 * DAY, "status": "in_progress"}),
        (nov, closed(nov, "resolved", 10 * DAY, rating=4, quarter=None)),
        (nov, closed(nov, "resolved", 20 * DAY, rating=5, category="lighting")),
        (nov, closed(nov, "rejected", 70 * DAY, rating=2, category="old_category")),
        (end_of_january, closed(end_of_january, "outside_competence", 2 * DAY)),
    ]
    await add_complaints(db, [complaint_values(citizen, filed, **more) for filed, more in rows])


async def test_figures_of_known_complaints(db, settings):
    await seed(db)
    figures = await statistics(db, settings)
    assert figures.total == 7
    by_status = dict(figures.by_status)
    assert list(by_status) == list(STATUSES), "every status, in lifecycle order"
    assert by_status == {
        "received": 1,
        "acknowledged": 1,
        "forwarded": 0,
        "in_progress": 1,
        "resolved": 2,
        "rejected": 1,
        "reopened": 0,
        "outside_competence": 1,
    }
    assert [key for key, _ in figures.by_category][: len(CATEGORIES)] == list(CATEGORIES)
    by_category = dict(figures.by_category)
    assert (by_category["roads"], by_category["waste"], by_category["lighting"]) == (4, 1, 1)
    assert figures.by_category[-1] == ("old_category", 1), "ids no longer offered come last"
    assert figures.by_quarter == (("Derb Jdid", 5), ("", 1), ("Medina", 1))
    assert figures.by_month == (("2025-11", 3), ("2025-12", 0), ("2026-01", 3), ("2026-02", 1))
    # acknowledged after 3, 5, 1, 1, 1, 1 days; resolved after 10 and 20 days
    assert (figures.median_days_to_acknowledge, figures.acknowledged) == (1.0, 6)
    assert (figures.median_days_to_resolve, figures.resolved) == (15.0, 2)
    assert (figures.answered, figures.answered_on_time) == (4, 3)
    assert figures.on_time_share == pytest.approx(0.75)
    assert figures.rating_average == pytest.approx(11 / 3)
    assert figures.ratings == 3


async def test_no_complaint_yet(db, settings):
    figures = await statistics(db, settings)
    assert figures.total == 0
    assert all(count == 0 for _status, count in figures.by_status)
    assert figures.by_quarter == () and figures.by_month == ()
    assert figures.median_days_to_acknowledge is None and figures.median_days_to_resolve is None
    assert figures.on_time_share is None
    assert (figures.rating_average, figures.ratings) == (None, 0)


def test_months_are_local_and_gaps_are_zero():
    moments = [
        datetime(2025, 12, 31, 23, 30, tzinfo=UTC),  # 00:30 on 1 January in Taroudant
        datetime(2026, 2, 28, 23, 30, tzinfo=UTC),  # Ramadan (UTC+0): still 28 February
        datetime(2026, 4, 30, 23, 30, tzinfo=UTC),  # UTC+1 again: 1 May
    ]
    assert by_local_month(moments, "Africa/Casablanca") == (
        ("2026-01", 1),
        ("2026-02", 1),
        ("2026-03", 0),
        ("2026-04", 0),
        ("2026-05", 1),
    )
    assert by_local_month(moments, "UTC")[0] == ("2025-12", 1)


def test_ordered_counts_keep_the_table_order_then_the_rest_by_count():
    counts = {"b": 2, None: 5, "z": 1, "y": 3}
    assert ordered_counts(counts, ("a", "b")) == (("a", 0), ("b", 2), ("", 5), ("y", 3), ("z", 1))
