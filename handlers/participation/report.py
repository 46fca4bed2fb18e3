"""The participation report of the gender approach: how many people took part in
consultations, complaints and workshops over a period — in all, by gender, by age bracket
and by quarter — the share of women, and the workshops' no-show rate.

The figures keep their raw counts; what is shown (table, spreadsheet, chart) follows the
small-count rule, so that no one can be recognised: a count from 1 to 4 reads "< 5" (0
stays 0), and a share computed on fewer than 5 people is not shown ("—").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from handlers.languages import Translator, place_name, quarter_label
from handlers.turns import CoreSettings
from storage.repositories.participation import ParticipationFilter, ProfileCount
from storage.unit_of_work import UnitOfWork
from surveys.definitions import AGE_BRACKETS, GENDERS

Translate = Callable[..., str]
Counts = tuple[tuple[str, int], ...]

RESPONDENTS, COMPLAINT_AUTHORS = "respondents", "complaint_authors"
REGISTRANTS, ATTENDEES = "registrants", "attendees"
CAPABILITIES = (RESPONDENTS, COMPLAINT_AUTHORS, REGISTRANTS, ATTENDEES)
DIMENSIONS = ("gender", "age_bracket", "quarter")
UNKNOWN = "unknown"  # the bucket of people who did not give a value
SMALL = 5  # counts under this (but not 0) are hidden, and shares computed on them
SMALL_COUNT = "< 5"
NOT_SHOWN = "—"


@dataclass(frozen=True, slots=True)
class Period:
    """Local dates (the commune's time zone), both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    def bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """(the first moment, the moment after the last), in UTC."""
        zone = ZoneInfo(timezone)
        start, after = self.start, self.end + timedelta(days=1)
        return tuple(  # type: ignore[return-value]
            datetime.combine(day, time(), tzinfo=zone).astimezone(UTC) for day in (start, after)
        )


def report_period(today: date, start: date | None = None, end: date | None = None) -> Period:
    """The period asked for; without a start, the twelve months up to `end` (today)."""
    end = end or today
    if start is not None:
        return Period(start, end)
    try:
        year_before = end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        year_before = end.replace(year=end.year - 1, day=28)
    return Period(year_before + timedelta(days=1), end)


@dataclass(frozen=True, slots=True)
class Participation:
    """Who took part in one capability: people, each counted once, in raw counts."""

    capability: str
    total: int
    by_gender: Counts  # female, male, any other value met, unknown
    by_age_bracket: Counts  # the brackets in order, then unknown
    by_quarter: Counts  # the commune's quarters, others met, unknown

    def by(self, dimension: str) -> Counts:
        return getattr(self, f"by_{dimension}")  # type: ignore[no-any-return]

    @property
    def women(self) -> int:
        return dict(self.by_gender).get("female", 0)

    @property
    def known_gender(self) -> int:
        """Women and men: the people the share of women is computed on."""
        return self.women + dict(self.by_gender).get("male", 0)

    @property
    def women_share(self) -> float | None:
        """Women among the people whose gender is known: women / (women + men)."""
        return self.women / self.known_gender if self.known_gender else None


@dataclass(frozen=True, slots=True)
class NoShows:
    """Seats held at workshops of the period that already ended (a seat is one
    registration), and how many of them were marked present."""

    seats: int
    present: int

    @property
    def missed(self) -> int:
        return self.seats - self.present

    @property
    def rate(self) -> float | None:
        return self.missed / self.seats if self.seats else None


@dataclass(frozen=True, slots=True)
class ParticipationReport:
    period: Period
    quarter: str | None
    participation: tuple[Participation, ...]  # in the order of CAPABILITIES
    no_shows: NoShows

    def of(self, capability: str) -> Participation:
        return next(p for p in self.participation if p.capability == capability)


def bucket_order(
    known: Sequence[str], dimension: str, groups: Iterable[list[ProfileCount]]
) -> tuple[str, ...]:
    """The known values in order, then the other values met (by name), then unknown."""
    met = {getattr(row, dimension) for rows in groups for row in rows}
    return (*known, *sorted(value for value in met if value and value not in known), UNKNOWN)


def tallied(
    capability: str, rows: list[ProfileCount], orders: dict[str, tuple[str, ...]]
) -> Participation:
    """The counts per profile summed up per dimension, every bucket of `orders` present."""
    counts: dict[str, Counter[str]] = {dimension: Counter() for dimension in DIMENSIONS}
    for row in rows:
        for dimension in DIMENSIONS:
            counts[dimension][getattr(row, dimension) or UNKNOWN] += row.people
    by = {d: tuple((key, counts[d][key]) for key in orders[d]) for d in DIMENSIONS}
    total = sum(row.people for row in rows)
    return Participation(capability, total, by["gender"], by["age_bracket"], by["quarter"])


async def gather_participation(
    uow: UnitOfWork,
    settings: CoreSettings,
    period: Period,
    now: datetime,
    quarter: str | None = None,
) -> ParticipationReport:
    """Every figure of the period (of one quarter's people if given), as rows stand now."""
    reports = uow.participation
    where = ParticipationFilter(*period.bounds(settings.timezone), quarter=quarter)
    rows = {
        RESPONDENTS: await reports.respondents(where),
        COMPLAINT_AUTHORS: await reports.complaint_authors(where),
        REGISTRANTS: await reports.workshop_registrants(where),
        ATTENDEES: await reports.workshop_attendees(where),
    }
    seats, present = await reports.ended_workshop_seats(where, now)
    known = {
        "gender": GENDERS,
        "age_bracket": AGE_BRACKETS,
        "quarter": (quarter,) if quarter else settings.commune_quarters,
    }
    orders = {d: bucket_order(known[d], d, rows.values()) for d in DIMENSIONS}
    participation = tuple(tallied(c, rows[c], orders) for c in CAPABILITIES)
    return ParticipationReport(period, quarter, participation, NoShows(seats, present))


# --- what may be shown ------------------------------------------------------------------
def is_small(count: int) -> bool:
    return 0 < count < SMALL


def shown_count(count: int) -> str:
    """A count as it may be shown: 1 to 4 people read "< 5"."""
    return SMALL_COUNT if is_small(count) else str(count)


def percent(share: float) -> str:
    """One decimal, with the comma Moroccan administrations write: "75,0 %"."""
    return f"{100 * share:.1f}".replace(".", ",") + " %"


def shown_share(part: int, whole: int) -> str:
    """A share as it may be shown: never one computed on fewer than 5 people."""
    return NOT_SHOWN if whole < SMALL else percent(part / whole)


def exported_count(count: int) -> int | str:
    return SMALL_COUNT if is_small(count) else count


def exported_share(part: int, whole: int) -> float | str:
    """A percentage with one decimal for spreadsheets, or "—" (fewer than 5 people)."""
    return NOT_SHOWN if whole < SMALL else round(100 * part / whole, 1)


# --- rendering ---------------------------------------------------------------------------
def bucket_label(t: Translator, dimension: str, key: str) -> str:
    """A bucket's name in the reader's language (quarters are proper nouns)."""
    if key == UNKNOWN:
        return t("participation.unknown")
    if dimension == "gender" and key in GENDERS:
        return t(f"participation.gender.{key}")
    if dimension == "age_bracket" and key in AGE_BRACKETS:
        return t(f"profile.age.{key}")
    return quarter_label(t, key)


def header_lines(t: Translator, report: ParticipationReport, commune: str) -> list[str]:
    """The title, the period, the quarter and the small-count rule (`commune` as configured:
    it is named in the reader's language, like the quarter)."""
    if report.quarter:
        quarter = t("participation.quarter", quarter=bucket_label(t, "quarter", report.quarter))
    else:
        quarter = t("participation.all_quarters")
    start, end = report.period.start.isoformat(), report.period.end.isoformat()
    return [
        t("participation.title", commune=place_name(t.locale, commune)),
        t("participation.period", start=start, end=end),
        quarter,
        t("participation.small_counts"),
    ]


def table_rows(t: Translator, report: ParticipationReport) -> list[list[str]]:
    """The table: a column per capability; the total, then each dimension's buckets
    (the share of women after the genders), every cell as it may be shown."""
    columns = report.participation
    rows = [["", *(t(f"participation.{p.capability}") for p in columns)]]
    rows.append([t("participation.total"), *(shown_count(p.total) for p in columns)])
    for dimension in DIMENSIONS:
        rows.append([t(f"participation.by_{dimension}"), *("" for _ in columns)])
        for index, (key, _count) in enumerate(columns[0].by(dimension)):
            counts = (shown_count(p.by(dimension)[index][1]) for p in columns)
            rows.append(["  " + bucket_label(t, dimension, key), *counts])
        if dimension == "gender":
            shares = (shown_share(p.women, p.known_gender) for p in columns)
            rows.append(["  " + t("participation.women_share"), *shares])
    return rows


def footer_lines(t: Translate, report: ParticipationReport) -> list[str]:
    """The no-show rate, then what each figure counts."""
    no_shows = report.no_shows
    rate = shown_share(no_shows.missed, no_shows.seats)
    return [
        t("participation.no_show_rate", rate=rate, seats=shown_count(no_shows.seats)),
        "",
        t("participation.legend"),
        t("participation.women_share_note"),
        t("participation.no_show_note"),
        t("participation.profile_note"),
    ]


def export_rows(report: ParticipationReport) -> list[list[Any]]:
    """capability, dimension, value, count — keys rather than labels, counts as shown."""
    rows: list[list[Any]] = [["capability", "dimension", "value", "count"]]
    for p in report.participation:
        rows.append([p.capability, "total", "", exported_count(p.total)])
        for dimension in DIMENSIONS:
            rows += [[p.capability, dimension, k, exported_count(n)] for k, n in p.by(dimension)]
        share = exported_share(p.women, p.known_gender)
        rows.append([p.capability, "women_share_percent", "", share])
    no_shows = report.no_shows
    rows.append([REGISTRANTS, "ended_workshop_seats", "", exported_count(no_shows.seats)])
    rows.append(
        [REGISTRANTS, "no_show_rate_percent", "", exported_share(no_shows.missed, no_shows.seats)]
    )
    return rows


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of the chart: a hidden count is drawn at 0 and labelled "< 5"."""

    label: str
    height: int
    shown: str


def gender_bars(t: Translator, report: ParticipationReport) -> list[Bar]:
    """Per capability, a bar per gender (women, men, unknown)."""
    bars = []
    for p in report.participation:
        capability = t(f"participation.{p.capability}")
        for key, count in p.by_gender:
            label = f"{capability} — {bucket_label(t, 'gender', key)}"
            bars.append(Bar(label, 0 if is_small(count) else count, shown_count(count)))
    return bars


def chart_title(t: Translator, report: ParticipationReport) -> str:
    start, end = report.period.start.isoformat(), report.period.end.isoformat()
    title = t("participation.chart_title", start=start, end=end)
    if report.quarter:
        title += " — " + bucket_label(t, "quarter", report.quarter)
    return title
