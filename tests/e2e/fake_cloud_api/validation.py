"""What the Cloud API refuses in a send: every check names the field, Graph style
(`interactive['action']['buttons'][0]['reply']['title']`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import GraphError, invalid_parameter, invalid_value, missing
from .records import Template

MEDIA_TYPES = ("image", "audio", "document", "video", "sticker")
MESSAGE_TYPES = frozenset(
    {"text", "interactive", "template", "location", "reaction", "contacts", *MEDIA_TYPES}
)
TOP_LEVEL_KEYS = frozenset(
    {"messaging_product", "recipient_type", "to", "type", "context", "biz_opaque_callback_data"}
)
INTERACTIVE_TYPES = frozenset({"button", "list", "cta_url", "location_request_message"})
BODY_LIMITS = {"button": 1024, "list": 4096, "cta_url": 1024, "location_request_message": 1024}
HEADER_TYPES = {
    "button": frozenset({"text", "image", "video", "document"}),
    "list": frozenset({"text"}),
    "cta_url": frozenset({"text", "image", "video", "document"}),
    "location_request_message": frozenset(),
}
CAPTION_TYPES = frozenset({"image", "video", "document"})
PARAMETER_TYPES = frozenset(
    {"text", "currency", "date_time", "image", "document", "video", "payload", "location"}
)
_WA_ID = re.compile(r"[0-9]{6,15}")
_BAD_TEMPLATE_TEXT = re.compile(r"[\n\t]| {5,}")

MediaExists = Callable[[str], bool]


@dataclass
class Outgoing:
    """A valid send, digested for the records and the transcript."""

    to: str
    type: str
    text: str
    line: str
    buttons: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, str, str | None]] = field(default_factory=list)
    template: Template | None = None
    reply_to: str | None = None

    @property
    def free_form(self) -> bool:
        """Whether the 24-hour window applies (everything but templates)."""
        return self.template is None


# --- building blocks ------------------------------------------------------------------
def sub(path: str, key: str | int) -> str:
    """`path['key']` or `path[0]`."""
    return f"{path}[{key}]" if isinstance(key, int) else f"{path}['{key}']"


def obj(value: Any, path: str) -> dict[str, Any]:
    """The value as a JSON object, or 100."""
    if not isinstance(value, dict):
        raise invalid_parameter(path, "must be a JSON object")
    return value


def keys(value: Mapping[str, Any], path: str, allowed: frozenset[str] | set[str]) -> None:
    """Refuse keys Graph does not know (a typo in an adapter is caught here)."""
    for key in sorted(set(value) - set(allowed)):
        raise GraphError(
            100, f'(#100) Unexpected key "{key}" on param "{path}".', details=sub(path, key)
        )


def string(
    value: Mapping[str, Any],
    key: str,
    path: str,
    *,
    max_len: int | None = None,
    required: bool = True,
    allow_empty: bool = False,
) -> str | None:
    """A string field: missing → 100, not a string → 100, empty or too long → 131009."""
    where = sub(path, key)
    if key not in value:
        if required:
            raise missing(where)
        return None
    text = value[key]
    if not isinstance(text, str):
        raise invalid_parameter(where, "must be a string")
    if not allow_empty and not text.strip():
        raise invalid_value(where, "must not be empty")
    if max_len is not None and len(text) > max_len:
        raise invalid_value(where, f"{len(text)} characters, at most {max_len} allowed")
    return text


def array(value: Mapping[str, Any], key: str, path: str, low: int, high: int) -> list[Any]:
    """A required list with `low`..`high` items."""
    where = sub(path, key)
    if key not in value:
        raise missing(where)
    items = value[key]
    if not isinstance(items, list):
        raise invalid_parameter(where, "must be an array")
    if not low <= len(items) <= high:
        raise invalid_value(where, f"{len(items)} items, {low} to {high} allowed")
    return items


def optional_obj(value: Mapping[str, Any], key: str, path: str) -> dict[str, Any] | None:
    """An optional object field (JSON null is refused, not taken as absent)."""
    if key not in value:
        return None
    return obj(value[key], sub(path, key))


def unique(values: list[str], path: str, what: str) -> None:
    """Refuse duplicates (button ids and titles, list row ids)."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise invalid_value(path, f"{what} must be unique, {value!r} is repeated")
        seen.add(value)


# --- the message ----------------------------------------------------------------------
def message(
    payload: Any, templates: Mapping[tuple[str, str], Template], media_exists: MediaExists
) -> Outgoing:
    """Validate a `POST /messages` body and digest it, or raise the Graph error."""
    body = obj(payload, "body")
    product = string(body, "messaging_product", "body")
    if product != "whatsapp":
        raise invalid_parameter("messaging_product", f"must be 'whatsapp', not {product!r}")
    recipient_type = string(body, "recipient_type", "body", required=False)
    if recipient_type is not None and recipient_type != "individual":
        raise invalid_parameter("recipient_type", f"must be 'individual', not {recipient_type!r}")
    if "to" not in body:
        raise missing("to")
    to = body["to"]
    if not isinstance(to, str) or not _WA_ID.fullmatch(to):
        raise invalid_parameter("to", f"must be a phone number of 6 to 15 digits, not {to!r}")
    kind = body.get("type", "text")
    if not isinstance(kind, str) or kind not in MESSAGE_TYPES:
        raise invalid_parameter("type", f"unsupported message type {kind!r}")
    keys(body, "body", TOP_LEVEL_KEYS | {kind})
    if kind not in body:
        raise missing(kind)
    reply_to = None
    context = optional_obj(body, "context", "body")
    if context is not None:
        keys(context, "context", {"message_id"})
        reply_to = string(context, "message_id", "context")
    content = obj(body[kind], kind)
    if kind == "text":
        out = _text(content, to)
    elif kind == "interactive":
        out = _interactive(content, to, media_exists)
    elif kind == "template":
        out = _template(content, to, templates)
    elif kind == "location":
        out = _location(content, to)
    elif kind == "reaction":
        out = _reaction(content, to)
    elif kind == "contacts":
        out = _contacts(body[kind], to)
    else:
        out = _media(kind, content, to, media_exists)
    out.reply_to = reply_to
    return out


def _text(content: dict[str, Any], to: str) -> Outgoing:
    """`text`: a body of at most 4096 characters."""
    keys(content, "text", {"body", "preview_url"})
    text = string(content, "body", "text", max_len=4096) or ""
    if "preview_url" in content and not isinstance(content["preview_url"], bool):
        raise invalid_parameter("text['preview_url']", "must be a boolean")
    return Outgoing(to, "text", text, text)


def _media_reference(
    content: dict[str, Any], path: str, media_exists: MediaExists
) -> tuple[str | None, str | None]:
    """Exactly one of `id` (an uploaded media) or `link` (an http(s) URL)."""
    media_id = string(content, "id", path, required=False)
    link = string(content, "link", path, required=False)
    if (media_id is None) == (link is None):
        raise invalid_parameter(path, "exactly one of 'id' and 'link' is required")
    if media_id is not None and not media_exists(media_id):
        raise invalid_value(sub(path, "id"), f"unknown media id {media_id!r}")
    if link is not None and not link.startswith(("https://", "http://")):
        raise invalid_value(sub(path, "link"), "must be an http(s) URL")
    return media_id, link


def _media(kind: str, content: dict[str, Any], to: str, media_exists: MediaExists) -> Outgoing:
    """`image`, `audio`, `document`, `video`, `sticker`."""
    allowed = {"id", "link"}
    if kind in CAPTION_TYPES:
        allowed.add("caption")
    if kind == "document":
        allowed.add("filename")
    keys(content, kind, allowed)
    media_id, link = _media_reference(content, kind, media_exists)
    caption = string(content, "caption", kind, max_len=1024, required=False)
    filename = string(content, "filename", kind, max_len=240, required=False)
    label = f"[{kind} {filename or media_id or link}]"
    return Outgoing(to, kind, caption or "", f"{label} {caption or ''}".rstrip())


def _number(content: dict[str, Any], key: str, path: str, limit: float) -> float:
    """A coordinate: a number (or numeric string) within ±limit."""
    where = sub(path, key)
    if key not in content:
        raise missing(where)
    raw = content[key]
    try:
        if isinstance(raw, bool):
            raise TypeError
        number = float(raw)
    except (TypeError, ValueError):
        raise invalid_parameter(where, "must be a number") from None
    if not -limit <= number <= limit:
        raise invalid_value(where, f"{number} is out of range ±{limit}")
    return number


def _location(content: dict[str, Any], to: str) -> Outgoing:
    """`location`: latitude, longitude, optional name and address."""
    keys(content, "location", {"latitude", "longitude", "name", "address"})
    latitude = _number(content, "latitude", "location", 90)
    longitude = _number(content, "longitude", "location", 180)
    name = string(content, "name", "location", max_len=1000, required=False)
    string(content, "address", "location", max_len=1000, required=False)
    line = f"[location {latitude}, {longitude}] {name or ''}".rstrip()
    return Outgoing(to, "location", name or "", line)


def _reaction(content: dict[str, Any], to: str) -> Outgoing:
    """`reaction`: an emoji (empty removes it) on a message."""
    keys(content, "reaction", {"message_id", "emoji"})
    message_id = string(content, "message_id", "reaction")
    emoji = string(content, "emoji", "reaction", allow_empty=True, max_len=8) or ""
    return Outgoing(to, "reaction", emoji, f"[reaction {emoji or '∅'} to {message_id}]")


def _contacts(content: Any, to: str) -> Outgoing:
    """`contacts`: a non-empty array of contacts with a formatted name."""
    if not isinstance(content, list) or not content:
        raise invalid_parameter("contacts", "must be a non-empty array")
    names = []
    for index, contact in enumerate(content):
        path = sub("contacts", index)
        name = obj(obj(contact, path).get("name"), sub(path, "name"))
        names.append(string(name, "formatted_name", sub(path, "name")) or "")
    return Outgoing(to, "contacts", ", ".join(names), f"[contacts {', '.join(names)}]")


# --- interactive ----------------------------------------------------------------------
def _interactive(content: dict[str, Any], to: str, media_exists: MediaExists) -> Outgoing:
    """Reply buttons, lists, call-to-action URLs and location requests."""
    path = "interactive"
    keys(content, path, {"type", "header", "body", "footer", "action"})
    kind = string(content, "type", path)
    if kind not in INTERACTIVE_TYPES:
        raise invalid_parameter(sub(path, "type"), f"unsupported interactive type {kind!r}")
    header = optional_obj(content, "header", path)
    header_text = _header(header, kind, media_exists) if header is not None else None
    if "body" not in content:
        raise missing(sub(path, "body"))
    body = obj(content["body"], sub(path, "body"))
    keys(body, sub(path, "body"), {"text"})
    text = string(body, "text", sub(path, "body"), max_len=BODY_LIMITS[kind]) or ""
    footer = optional_obj(content, "footer", path)
    if footer is not None:
        keys(footer, sub(path, "footer"), {"text"})
        string(footer, "text", sub(path, "footer"), max_len=60)
    if "action" not in content:
        raise missing(sub(path, "action"))
    action = obj(content["action"], sub(path, "action"))
    shown = f"{header_text}\n{text}" if header_text else text
    if kind == "button":
        buttons = _buttons(action)
        labels = " | ".join(title for _, title in buttons)
        return Outgoing(to, "interactive", text, f"{shown} [{labels}]", buttons=buttons)
    if kind == "list":
        label, rows = _list(action)
        titles = " | ".join(title for _, title, _ in rows)
        return Outgoing(to, "interactive", text, f"{shown} ☰{label}: {titles}", rows=rows)
    if kind == "cta_url":
        display, url = _cta_url(action)
        return Outgoing(to, "interactive", text, f"{shown} [{display} → {url}]")
    keys(action, sub(path, "action"), {"name"})
    if string(action, "name", sub(path, "action")) != "send_location":
        raise invalid_value("interactive['action']['name']", "must be 'send_location'")
    return Outgoing(to, "interactive", text, f"{shown} [📍 send location]")


def _header(header: dict[str, Any], kind: str, media_exists: MediaExists) -> str | None:
    """A header: text (at most 60 characters) or, for buttons, a media."""
    path = "interactive['header']"
    header_type = string(header, "type", path)
    if header_type not in HEADER_TYPES[kind]:
        raise invalid_parameter(
            sub(path, "type"), f"a {kind} message cannot have a {header_type!r} header"
        )
    keys(header, path, {"type", header_type or "text"})
    if header_type == "text":
        return string(header, "text", path, max_len=60)
    media = header.get(header_type or "")
    if media is None:
        raise missing(sub(path, header_type or ""))
    where = sub(path, header_type or "")
    keys(obj(media, where), where, {"id", "link"})
    _media_reference(media, where, media_exists)
    return f"[{header_type}]"


def _buttons(action: dict[str, Any]) -> list[tuple[str, str]]:
    """1 to 3 reply buttons: id ≤ 256, title ≤ 20, ids and titles unique."""
    path = "interactive['action']"
    keys(action, path, {"buttons"})
    buttons = []
    for index, raw in enumerate(array(action, "buttons", path, 1, 3)):
        where = sub(sub(path, "buttons"), index)
        button = obj(raw, where)
        keys(button, where, {"type", "reply"})
        if string(button, "type", where) != "reply":
            raise invalid_value(sub(where, "type"), "must be 'reply'")
        if "reply" not in button:
            raise missing(sub(where, "reply"))
        reply = obj(button["reply"], sub(where, "reply"))
        keys(reply, sub(where, "reply"), {"id", "title"})
        button_id = string(reply, "id", sub(where, "reply"), max_len=256) or ""
        title = string(reply, "title", sub(where, "reply"), max_len=20) or ""
        buttons.append((button_id, title))
    unique([b for b, _ in buttons], sub(path, "buttons"), "button ids")
    unique([t for _, t in buttons], sub(path, "buttons"), "button titles")
    return buttons


def _list(action: dict[str, Any]) -> tuple[str, list[tuple[str, str, str | None]]]:
    """A list: a menu button ≤ 20, 1 to 10 sections, at most 10 rows in all."""
    path = "interactive['action']"
    keys(action, path, {"button", "sections"})
    label = string(action, "button", path, max_len=20) or ""
    sections = array(action, "sections", path, 1, 10)
    rows: list[tuple[str, str, str | None]] = []
    for index, raw in enumerate(sections):
        where = sub(sub(path, "sections"), index)
        section = obj(raw, where)
        keys(section, where, {"title", "rows"})
        string(section, "title", where, max_len=24, required=len(sections) > 1)
        for number, raw_row in enumerate(array(section, "rows", where, 1, 10)):
            row_path = sub(sub(where, "rows"), number)
            row = obj(raw_row, row_path)
            keys(row, row_path, {"id", "title", "description"})
            row_id = string(row, "id", row_path, max_len=200) or ""
            title = string(row, "title", row_path, max_len=24) or ""
            description = string(row, "description", row_path, max_len=72, required=False)
            rows.append((row_id, title, description))
    if len(rows) > 10:
        raise invalid_value(sub(path, "sections"), f"{len(rows)} rows in all, at most 10 allowed")
    unique([r for r, _, _ in rows], sub(path, "sections"), "row ids")
    return label, rows


def _cta_url(action: dict[str, Any]) -> tuple[str, str]:
    """A call-to-action URL button."""
    path = "interactive['action']"
    keys(action, path, {"name", "parameters"})
    if string(action, "name", path) != "cta_url":
        raise invalid_value(sub(path, "name"), "must be 'cta_url'")
    if "parameters" not in action:
        raise missing(sub(path, "parameters"))
    params = obj(action["parameters"], sub(path, "parameters"))
    keys(params, sub(path, "parameters"), {"display_text", "url"})
    display = string(params, "display_text", sub(path, "parameters"), max_len=20) or ""
    url = string(params, "url", sub(path, "parameters")) or ""
    if not url.startswith(("https://", "http://")):
        raise invalid_value("interactive['action']['parameters']['url']", "must be a URL")
    return display, url


# --- templates ------------------------------------------------------------------------
def _template(
    content: dict[str, Any], to: str, templates: Mapping[tuple[str, str], Template]
) -> Outgoing:
    """A template: approved name and language, as many parameters as it has placeholders."""
    path = "template"
    keys(content, path, {"name", "language", "components", "namespace"})
    name = string(content, "name", path, max_len=512) or ""
    if "language" not in content:
        raise missing(sub(path, "language"))
    language = obj(content["language"], sub(path, "language"))
    keys(language, sub(path, "language"), {"code", "policy"})
    code = string(language, "code", sub(path, "language")) or ""
    template = templates.get((name, code))
    if template is None:
        raise GraphError(
            132001,
            "(#132001) Template name does not exist in the translation",
            details=f"template name ({name}) does not exist in {code}",
        )
    body_params: list[str] = []
    header_params: list[str] = []
    components = content.get("components", [])
    if not isinstance(components, list):
        raise invalid_parameter(sub(path, "components"), "must be an array")
    for index, raw in enumerate(components):
        where = sub(sub(path, "components"), index)
        component = obj(raw, where)
        keys(component, where, {"type", "sub_type", "index", "parameters"})
        component_type = string(component, "type", where)
        if component_type not in {"header", "body", "button"}:
            raise invalid_parameter(sub(where, "type"), f"unknown component {component_type!r}")
        params = component.get("parameters", [])
        if not isinstance(params, list):
            raise invalid_parameter(sub(where, "parameters"), "must be an array")
        values = [_parameter(p, sub(sub(where, "parameters"), i)) for i, p in enumerate(params)]
        if component_type == "body":
            body_params.extend(values)
        elif component_type == "header":
            header_params.extend(values)
    for part, got, expected in (
        ("body", body_params, template.body_params),
        ("header", header_params, template.header_params),
    ):
        if len(got) != expected:
            raise GraphError(
                132000,
                details=f"{part}: number of localizable_params ({len(got)}) does not match the "
                f"expected number of params ({expected})",
            )
    rendered = template.render(body_params)
    return Outgoing(to, "template", rendered, rendered, template=template)


def _parameter(raw: Any, path: str) -> str:
    """One template parameter; text ones without new lines, tabs or 5 spaces in a row."""
    param = obj(raw, path)
    kind = string(param, "type", path)
    if kind not in PARAMETER_TYPES:
        raise invalid_parameter(sub(path, "type"), f"unknown parameter type {kind!r}")
    keys(param, path, {"type", "parameter_name", kind or ""})
    if kind == "text":
        text = string(param, "text", path, max_len=32768) or ""
        if _BAD_TEMPLATE_TEXT.search(text):
            raise GraphError(
                132018,
                details=f"{sub(path, 'text')}: Param text cannot have new-line/tab characters "
                "or more than 4 consecutive spaces",
            )
        return text
    if kind == "payload":
        return string(param, "payload", path, max_len=128) or ""
    if kind not in param:
        raise missing(sub(path, kind or ""))
    return f"[{kind}]"
