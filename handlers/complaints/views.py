"""How a complaint reads, in any language: the summary before filing, the citizen's view
with its public history, and the card staff see. Dates are shown in the commune's time
zone (Africa/Casablanca), never in UTC."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.channels import channel_name
from handlers.complaints.categories import KIND_EMOJI, category_of
from handlers.languages import Translator, quarter_label
from handlers.turns import CoreSettings
from storage.models import Complaint, ComplaintEvent

Translate = Callable[..., str]
CONTENT_FIELDS = (
    "kind",
    "category",
    "description",
    "latitude",
    "longitude",
    "quarter",
    "address",
    "attachment_kind",
    "attachment_name",
)
MEDIA_LABELS = {"photo": "photo", "voice": "voice", "audio": "voice"}


def local_date(settings: CoreSettings, moment: datetime) -> str:
    """A date as citizens read it: day/month/year, in the commune's time zone."""
    return moment.astimezone(ZoneInfo(settings.timezone)).strftime("%d/%m/%Y")


def status_label(t: Translate, status: str) -> str:
    """A status as people read it ("Prise en charge"), not its code."""
    return t(f"complaint.status.{status}")


def kind_label(t: Translate, kind: str) -> str:
    """Complaint, observation or suggestion, with its emoji."""
    return f"{KIND_EMOJI.get(kind, '📣')} {t(f'complaint.kind.{kind}')}"


def category_label(t: Translate, category_id: str) -> str:
    """A category with its emoji, in the reader's language."""
    category = category_of(category_id)
    return f"{category.emoji} {t(category.label_key)}"


def place_text(t: Translator, values: Mapping[str, Any]) -> str:
    """Where the problem is: a quarter, an address, a shared location, or nowhere given."""
    if values.get("quarter"):
        return t("complaint.place.quarter", quarter=quarter_label(t, values["quarter"]))
    if values.get("address"):
        return str(values["address"])
    if values.get("latitude") is not None and values.get("longitude") is not None:
        return t(
            "complaint.place.location",
            latitude=f"{values['latitude']:.5f}",
            longitude=f"{values['longitude']:.5f}",
        )
    return t("complaint.place.none")


def attachment_text(t: Translate, values: Mapping[str, Any]) -> str:
    """What was attached: a photo, a voice note, a file, or nothing."""
    kind = values.get("attachment_kind")
    if not kind:
        return t("complaint.attachment.none")
    return t(f"complaint.attachment.{MEDIA_LABELS.get(kind, 'file')}")


def file_text(t: Translate, complaint: Complaint) -> str:
    """The attached file as staff need it: its name, type and size (empty: none)."""
    size = complaint.attachment_size
    parts = [
        complaint.attachment_name,
        complaint.attachment_mime,
        t("complaint.file.size", kb=max(1, round(size / 1024))) if size else None,
    ]
    return " · ".join(part for part in parts if part)


def _line(t: Translate, field: str, value: str) -> str:
    return t("layout.field", label=t("complaint.field." + field), value=value)


def content_lines(t: Translator, values: Mapping[str, Any]) -> list[str]:
    """What the citizen told: kind, category, place, attachment, description."""
    return [
        _line(t, "kind", kind_label(t, values["kind"])),
        _line(t, "category", category_label(t, values["category"])),
        _line(t, "place", place_text(t, values)),
        _line(t, "attachment", attachment_text(t, values)),
        _line(t, "description", str(values["description"])),
    ]


def values_of(complaint: Complaint) -> dict[str, Any]:
    """A stored complaint's content, shaped like a draft (for the same lines)."""
    return {name: getattr(complaint, name) for name in CONTENT_FIELDS}


def status_lines(t: Translate, settings: CoreSettings, complaint: Complaint) -> list[str]:
    """Where the complaint stands and the dates the commune committed to."""
    return [
        _line(t, "status", status_label(t, complaint.status)),
        _line(t, "filed_at", local_date(settings, complaint.filed_at)),
        _line(t, "acknowledge_by", local_date(settings, complaint.acknowledge_by)),
        _line(t, "answer_by", local_date(settings, complaint.answer_by)),
    ]


def citizen_view(
    t: Translator, settings: CoreSettings, complaint: Complaint, events: Sequence[ComplaintEvent]
) -> str:
    """The citizen's complaint with its history: statuses and public comments only."""
    lines = [t("complaint.view.title", number=complaint.tracking_number)]
    lines += status_lines(t, settings, complaint) + content_lines(t, values_of(complaint))
    lines.append(t("complaint.history.title"))
    for event in events:
        if event.from_status == event.to_status:
            continue  # internal bookkeeping (an assignment): not the citizen's business
        lines.append(f"  {local_date(settings, event.at)} — {status_label(t, event.to_status)}")
        if event.public_comment:
            lines.append("    " + t("layout.quote", text=event.public_comment))
    return "\n".join(lines)


def staff_card(
    t: Translator,
    settings: CoreSettings,
    complaint: Complaint,
    similar: Sequence[str] = (),
    channel: str | None = None,
) -> str:
    """What staff need to act: everything the citizen said, deadlines, service, duplicates,
    and the channel the citizen writes on (`channel`: the pushes' way to them)."""
    lines = [t("complaint.staff.title", number=complaint.tracking_number)]
    lines += status_lines(t, settings, complaint)
    if channel is not None:
        lines.append(_line(t, "channel", channel_name(t, channel)))
    lines += content_lines(t, values_of(complaint))
    if complaint.assigned_service:
        lines.append(_line(t, "service", complaint.assigned_service))
    if file := file_text(t, complaint):
        lines.append(_line(t, "file", file))
    if complaint.rating is not None:
        lines.append(_line(t, "rating", f"{complaint.rating}/5"))
    if complaint.rating_comment:
        lines.append(_line(t, "rating_comment", complaint.rating_comment))
    if similar:
        lines.append(t("complaint.staff.duplicates", numbers=", ".join(similar)))
    return "\n".join(lines)
