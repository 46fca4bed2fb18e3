"""The participation report (gender approach) on SQLite and PostgreSQL: people counted once
per capability by their profile, local period bounds, anonymous responses, workshops
(seats, cancellations, no-shows), the quarter filter on the person's own quarter — and the
small-count rule on everything shown, while the figures keep the raw counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from handlers.participation import (
    Period,
    export_rows,
    gather_participation,
    report_period,
    shown_count,
    shown_share,
)
from tests.complaint_rows import add_complaints, complaint_values
from tests.participation_rows import (
    add_citizens,
    add_consultation,
    add_registrations,
    add_responses,
    add_workshop,
    profile,
)

JANUARY = Period(date(2026, 1, 1), date(2026, 1, 31))
NOW = datetime(2026, 1, 25, 12, 0, tzinfo=UTC)
MID_JANUARY = datetime(2026, 1, 12, 10, 0, tzinfo=UTC)
# Taroudant is at UTC+1 in January: these are 1 January 00:30 and 1 February 00:30 there.
FIRST_LOCAL_MOMENT = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
AFTER_LOCAL_END = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
QUARTERS = ("Derb Jdid", "Sidi Belkas", "Darb Al Afou", "Talmqalat", "Assarag", "Medina", "Other")


async def seed_respondents(db) -> None:
    """Five women and two men answer in January (one woman twice), two anonymous responses
    too; two men answered just outside January, local time."""
    women = await add_citizens(db, NOW, [
        profile("female", "18-29", "Derb Jdid"),
        profile("female", "18-29", "Derb Jdid"),
        profile("female", "30-44", "Derb Jdid"),
        profile("female", "30-44", "Medina"),
        profile("female", None, "Medina"),
    ])  # fmt: skip
    men = await add_citizens(db, NOW, [profile("male", "60+", "Talmqalat")] * 2)
    late = await add_citizens(db, NOW, [profile("male", "18-29", "Medina")] * 2)
    first, second = await add_consultation(db, NOW), await add_consultation(db, NOW)
    await add_responses(db, first, FIRST_LOCAL_MOMENT, women[:1])
    await add_responses(db, first, MID_JANUARY, [*women[1:], *men])
    await add_responses(db, second, MID_JANUARY, [women[2]])
    await add_responses(db, second, MID_JANUARY, [None], gender="female", age_bracket="45-59",
                        quarter="Derb Jdid")  # fmt: skip
    await add_responses(db, second, MID_JANUARY, [None])
    await add_responses(db, first, FIRST_LOCAL_MOMENT - timedelta(hours=1), late[:1])
    await add_responses(db, first, AFTER_LOCAL_END, late[1:])


async def seed_complaints(db) -> None:
    """A woman files three complaints in January, a man one (and one in December); a third
    person only filed in December."""
    woman, man, earlier = await add_citizens(db, NOW, [
        profile("female", "30-44", "Derb Jdid"), profile("male"), profile("female"),
    ])  # fmt: skip
    december = datetime(2025, 12, 20, 9, 0, tzinfo=UTC)
    rows = [
        *(complaint_values(woman, MID_JANUARY, quarter="Medina") for _ in range(3)),
        complaint_values(man, MID_JANUARY),
        complaint_values(man, december),
        complaint_values(earlier, december),
    ]
    await add_complaints(db, rows)


async def seed_workshops(db) -> None:
    """Workshop A (ended, in the Medina): ten seats — six women, four men; the first three
    from the Medina, the others from Derb Jdid — seven marked present, two waitlisted, one
    withdrawn. C (not ended yet): one of A's and two newcomers. A cancelled workshop and a
    February one count for nothing."""
    a_people = await add_citizens(db, NOW, [
        *(profile("female", "18-29", "Medina") for _ in range(3)),
        *(profile("female", "30-44", "Derb Jdid") for _ in range(3)),
        *(profile("male", "45-59", "Derb Jdid") for _ in range(4)),
    ])  # fmt: skip
    newcomers = await add_citizens(db, NOW, [profile("female", None, "Medina"), profile("male")])
    others = await add_citizens(db, NOW, [profile("female", "18-29", "Medina")] * 7)
    a = await add_workshop(db, datetime(2026, 1, 15, 9, 0, tzinfo=UTC))
    present = datetime(2026, 1, 15, 9, 10, tzinfo=UTC)
    attended = [a_people[i] for i in (0, 1, 2, 3, 4, 6, 7)]
    await add_registrations(db, a, attended, attended_at=present)
    await add_registrations(db, a, [p for p in a_people if p not in attended])
    await add_registrations(db, a, others[:2], status="waitlisted")
    await add_registrations(db, a, others[2:3], status="cancelled")
    c = await add_workshop(db, datetime(2026, 1, 28, 15, 0, tzinfo=UTC), quarter="Assarag")
    await add_registrations(db, c, [a_people[0], *newcomers])
    cancelled = await add_workshop(db, datetime(2026, 1, 20, 9, 0, tzinfo=UTC), status="cancelled")
    await add_registrations(db, cancelled, others[3:7], attended_at=None)
    february = await add_workshop(db, datetime(2026, 2, 3, 9, 0, tzinfo=UTC))
    await add_registrations(db, february, others[3:7])


async def report(db, settings, quarter: str | None = None, period: Period = JANUARY):
    async with db.transaction() as uow:
        return await gather_participation(uow, settings, period, NOW, quarter)


async def test_respondents_are_people_counted_once_by_their_profile(db, settings):
    await seed_respondents(db)
    respondents = (await report(db, settings)).of("respondents")
    assert respondents.total == 9, "7 citizens (one answered twice) and 2 anonymous responses"
    assert respondents.by_gender == (("female", 6), ("male", 2), ("unknown", 1))
    assert dict(respondents.by_age_bracket) == {
        "under-18": 0, "18-29": 2, "30-44": 2, "45-59": 1, "60+": 2, "unknown": 2,
    }  # fmt: skip
    assert respondents.by_quarter == (*zip(QUARTERS, (4, 0, 0, 2, 0, 2, 0), strict=True),
                                      ("unknown", 1))  # fmt: skip
    assert respondents.women_share == 0.75, "6 women among the 8 whose gender is known"
    shown = [shown_count(n) for _, n in respondents.by_gender]
    assert shown == ["6", "< 5", "< 5"]
    assert shown_share(respondents.women, respondents.known_gender) == "75,0 %"


async def test_complaint_authors_by_their_own_quarter(db, settings):
    await seed_complaints(db)
    authors = (await report(db, settings)).of("complaint_authors")
    assert authors.total == 2, "three complaints of one woman are one person"
    assert dict(authors.by_gender) == {"female": 1, "male": 1, "unknown": 0}
    quarters = dict(authors.by_quarter)
    assert quarters["Derb Jdid"] == 1 and quarters["Medina"] == 0, "the citizen's, not the place"
    assert quarters["unknown"] == 1
    assert authors.women_share == 0.5
    assert shown_share(authors.women, authors.known_gender) == "—", "computed on 2 people"
    assert shown_count(authors.total) == "< 5"


async def test_workshop_seats_attendance_and_no_shows(db, settings):
    await seed_workshops(db)
    figures = await report(db, settings)
    registrants, attendees = figures.of("registrants"), figures.of("attendees")
    assert registrants.total == 12, "A's ten and C's two newcomers: waitlist, cancelled out"
    assert dict(registrants.by_gender) == {"female": 7, "male": 5, "unknown": 0}
    assert shown_share(registrants.women, registrants.known_gender) == "58,3 %"
    assert attendees.total == 7
    assert dict(attendees.by_gender) == {"female": 5, "male": 2, "unknown": 0}
    assert shown_share(attendees.women, attendees.known_gender) == "71,4 %"
    assert dict(attendees.by_age_bracket)["45-59"] == 2
    assert (figures.no_shows.seats, figures.no_shows.present) == (10, 7), "C has not ended"
    assert figures.no_shows.rate == pytest.approx(0.3)
    assert shown_share(figures.no_shows.missed, figures.no_shows.seats) == "30,0 %"


async def test_a_quarter_is_the_peoples_own_for_workshops_too(db, settings):
    await seed_respondents(db)
    await seed_workshops(db)
    medina = await report(db, settings, "Medina")
    assert medina.of("attendees").total == 3, "A is in the Medina; three of its people are"
    assert medina.of("registrants").total == 4
    assert medina.of("respondents").total == 2
    assert (medina.no_shows.seats, medina.no_shows.present) == (3, 3)
    assert dict(medina.of("attendees").by_quarter) == {"Medina": 3, "unknown": 0}
    derb_jdid = await report(db, settings, "Derb Jdid")
    assert derb_jdid.of("registrants").total == 7, "from a workshop held in the Medina"
    assert derb_jdid.of("respondents").total == 4, "an anonymous response by its own quarter"
    assert (derb_jdid.no_shows.seats, derb_jdid.no_shows.present) == (7, 4)


async def test_what_is_exported_follows_the_small_count_rule(db, settings):
    await seed_respondents(db)
    await seed_workshops(db)
    rows = export_rows(await report(db, settings, "Medina"))
    assert rows[0] == ["capability", "dimension", "value", "count"]
    cells = {tuple(row[:3]): row[3] for row in rows[1:]}
    assert cells[("attendees", "total", "")] == "< 5"
    assert cells[("attendees", "gender", "male")] == 0, "0 stays 0"
    assert cells[("respondents", "women_share_percent", "")] == "—"
    assert cells[("registrants", "no_show_rate_percent", "")] == "—", "3 seats only"
    everything = {tuple(row[:3]): row[3] for row in export_rows(await report(db, settings))}
    assert everything[("registrants", "total", "")] == 12
    assert everything[("registrants", "no_show_rate_percent", "")] == 30.0
    assert everything[("attendees", "women_share_percent", "")] == 71.4
    assert everything[("respondents", "gender", "male")] == "< 5"


async def test_an_empty_period_shows_zeros(db, settings):
    await seed_respondents(db)
    figures = await report(db, settings, period=Period(date(2025, 6, 1), date(2025, 6, 30)))
    assert [p.total for p in figures.participation] == [0, 0, 0, 0]
    assert figures.of("respondents").women_share is None
    assert figures.no_shows.rate is None
    assert {row[3] for row in export_rows(figures)[1:]} == {0, "—"}


def test_small_counts_and_shares():
    assert [shown_count(n) for n in (0, 1, 4, 5, 120)] == ["0", "< 5", "< 5", "5", "120"]
    assert shown_share(3, 4) == "—" and shown_share(0, 0) == "—"
    assert shown_share(6, 8) == "75,0 %" and shown_share(0, 5) == "0,0 %"


def test_the_default_period_is_the_twelve_months_up_to_today():
    assert report_period(date(2026, 2, 15)) == Period(date(2025, 2, 16), date(2026, 2, 15))
    assert report_period(date(2028, 2, 29)) == Period(date(2027, 3, 1), date(2028, 2, 29))
    assert report_period(date(2026, 2, 15), end=date(2025, 12, 31)).start == date(2025, 1, 1)
    assert report_period(date(2026, 2, 15), date(2026, 1, 1)) == Period(
        date(2026, 1, 1), date(2026, 2, 15)
    )
    with pytest.raises(ValueError, match="ends"):
        report_period(date(2026, 2, 15), date(2026, 3, 1))


def test_local_dates_become_utc_bounds():
    since, until = JANUARY.bounds("Africa/Casablanca")
    assert since == datetime(2025, 12, 31, 23, 0, tzinfo=UTC)
    assert until == datetime(2026, 1, 31, 23, 0, tzinfo=UTC)
