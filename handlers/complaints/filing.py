"""Filing a complaint: what a draft must satisfy (a real description, a plausible place, an
attachment of a reasonable size) and the use case `file_complaint`, which gives it a
tracking number and deadlines, writes its first history row and tells the staff group.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.complaints.categories import category_of
from handlers.complaints.staff import notify_new_complaint
from handlers.complaints.statuses import CITIZEN, RECEIVED
from handlers.complaints.tracking_numbers import new_tracking_number
from handlers.turns import CoreSettings
from handlers.types import Media
from storage.models import Complaint
from storage.unit_of_work import UnitOfWork

MIN_DESCRIPTION, MAX_DESCRIPTION = 10, 2000
MIN_LETTERS = 3  # "!!!!!!!!!!" or a row of emoji describes nothing
MIN_ADDRESS, MAX_ADDRESS = 3, 300
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024  # what the Bot API lets a bot download
ATTACHMENT_KINDS = ("photo", "voice", "audio", "video", "document")
# The commune's centre, and how far from it a shared location still looks like Taroudant.
COMMUNE_CENTRE = (30.4703, -8.8770)
NEAR_KM = 15.0
NUMBER_ATTEMPTS = 20
ATTACHMENT_FIELDS = {
    "attachment_kind": "kind",
    "attachment_file_ref": "file_ref",
    "attachment_mime": "mime_type",
    "attachment_size": "size",
    "attachment_name": "file_name",
}


def description_problem(text: str) -> tuple[str, dict[str, object]] | None:
    """Why a description cannot be kept (a catalog key and its parameters), or None."""
    if len(text) < MIN_DESCRIPTION:
        return "complaint.description.too_short", {"min": MIN_DESCRIPTION}
    if len(text) > MAX_DESCRIPTION:
        return "complaint.description.too_long", {"max": MAX_DESCRIPTION, "length": len(text)}
    if sum(character.isalpha() for character in text) < MIN_LETTERS:
        return "complaint.description.no_words", {}
    return None


def distance_km(latitude: float, longitude: float, centre: tuple[float, float]) -> float:
    """Great-circle distance, in kilometres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (latitude, longitude, *centre))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def attachment_problem(media: Media) -> tuple[str, dict[str, object]] | None:
    """Why a file cannot be attached (a catalog key and its parameters), or None."""
    if media.kind not in ATTACHMENT_KINDS:
        return "error.unsupported", {}
    if media.size is not None and media.size > MAX_ATTACHMENT_BYTES:
        return "complaint.attachment.too_big", {"max_mb": MAX_ATTACHMENT_BYTES // 2**20}
    return None


def attachment_fields(media: Media) -> dict[str, Any]:
    """The draft fields that keep a file: the channel's reference, never the bytes."""
    fields = {column: getattr(media, name) for column, name in ATTACHMENT_FIELDS.items()}
    for column, limit in (("attachment_mime", 100), ("attachment_name", 255)):
        fields[column] = fields[column][:limit] if fields[column] else fields[column]
    return fields


def _row(draft: Mapping[str, Any], citizen_id: int, locale: str, now: datetime) -> dict[str, Any]:
    category = category_of(str(draft["category"]))
    row = {
        name: draft.get(name)
        for name in ("latitude", "longitude", "quarter", "address", *ATTACHMENT_FIELDS)
    }
    row["quarter"] = row["quarter"][:64] if row["quarter"] else None
    return row | {
        "citizen_id": citizen_id,
        "kind": draft["kind"],
        "category": category.id,
        "description": draft["description"],
        "status": RECEIVED,
        "assigned_service": None,
        "filed_at": now,
        "acknowledge_by": now + category.acknowledge_within,
        "answer_by": now + category.answer_within,
        "acknowledged_at": None,
        "resolved_at": None,
        "closed_at": None,
        "rating": None,
        "rating_comment": None,
        "reopen_until": None,
        "locale": locale,
    }


async def _insert(uow: UnitOfWork, settings: CoreSettings, row: dict[str, Any]) -> int:
    """Insert under a fresh tracking number: a taken one is skipped, never overwritten."""
    filed_at = row["filed_at"].astimezone(ZoneInfo(settings.timezone))  # the local year
    for _ in range(NUMBER_ATTEMPTS):
        number = new_tracking_number(settings.tracking_prefix, filed_at, settings.tracking_random)
        complaint_id = await uow.complaints.add({**row, "tracking_number": number})
        if complaint_id is not None:
            return int(complaint_id)
    raise RuntimeError("no free tracking number after many attempts")


async def file_complaint(
    uow: UnitOfWork,
    settings: CoreSettings,
    citizen_id: int,
    draft: Mapping[str, Any],
    locale: str,
    now: datetime,
) -> Complaint:
    """Record a citizen's complaint under a fresh tracking number and tell the staff."""
    complaint_id = await _insert(uow, settings, _row(draft, citizen_id, locale, now))
    await uow.complaints.add_event(
        {
            "complaint_id": complaint_id,
            "at": now,
            "actor": CITIZEN,
            "from_status": None,
            "to_status": RECEIVED,
            "public_comment": None,
            "internal_note": None,
        }
    )
    complaint = await uow.complaints.get(complaint_id)
    assert complaint is not None
    await notify_new_complaint(uow, settings, complaint, now)
    return complaint
