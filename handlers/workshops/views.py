"""How a workshop reads for a citizen, in their language: its title, kind, where and when
(Africa/Casablanca time), the seats left, and their own place (code or waitlist rank)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.languages import LOCALES, Translator, derive_text, quarter_label, translate
from storage.models import Workshop

REFERENCE_LOCALES = ("fr", "ar")  # where a title missing in a locale is looked for next


def text_in(texts: dict[str, str], locale: str) -> str:
    """A workshop text in `locale` (Tachelhit in Tifinagh or Arabic script transliterated
    from the Latin one, as the catalogs are), else the nearest language staff wrote it in."""
    info = LOCALES.get(locale)
    if info is not None and info.derived_by is not None and texts.get(info.catalog):
        return derive_text(locale, texts[info.catalog])
    base = info.catalog.replace("_", "-") if info is not None else locale
    for candidate in (locale, base, locale.split("-")[0], *REFERENCE_LOCALES):
        if texts.get(candidate):
            return texts[candidate]
    return next(iter(texts.values()), "")


def local_time(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d/%m/%Y %H:%M")


def when_text(workshop: Workshop, timezone: str) -> str:
    start = local_time(workshop.starts_at, timezone)
    end = workshop.ends_at.astimezone(ZoneInfo(timezone)).strftime("%H:%M")
    return f"{start}–{end}"


def title_line(workshop: Workshop, locale: str, timezone: str) -> str:
    """One line for a list: emoji of the kind, title, date."""
    emoji = translate(locale, f"workshop.kind_emoji.{workshop.kind}")
    day = workshop.starts_at.astimezone(ZoneInfo(timezone)).strftime("%d/%m %H:%M")
    return f"{emoji} {text_in(workshop.title, locale)} — {day}"


def details_text(workshop: Workshop, locale: str, timezone: str, seats_left: int) -> str:
    """The workshop in full, as shown before signing up."""
    seats = (
        translate(locale, "workshop.seats_left", seats=seats_left, capacity=workshop.capacity)
        if seats_left > 0
        else translate(locale, "workshop.full")
    )
    return translate(
        locale,
        "workshop.details",
        title=text_in(workshop.title, locale),
        kind=translate(locale, f"workshop.kind.{workshop.kind}"),
        description=text_in(workshop.description, locale),
        quarter=quarter_label(Translator(locale), workshop.quarter),
        place=workshop.place,
        when=when_text(workshop, timezone),
        audience=translate(locale, f"workshop.audience.{workshop.audience}"),
        seats=seats,
    )
