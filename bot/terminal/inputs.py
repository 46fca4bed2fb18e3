"""What the terminal chat offers instead of Telegram's paperclip: attaching a file by its
path and sharing a place by its coordinates."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from handlers.types import Location, Media, MediaKind

ATTACHMENT_KINDS: dict[str, MediaKind] = {
    ":photo": "photo",
    ":file": "document",
    ":voice": "voice",
}


def shared_thing(line: str) -> Media | Location | None:
    """The attachment or place a `:photo/:file/:voice PATH` or `:location LAT LON` line
    shares; None for any other line; ValueError when the path or place is wrong."""
    word, _, rest = line.partition(" ")
    if word in ATTACHMENT_KINDS:
        return attachment(ATTACHMENT_KINDS[word], rest.strip())
    if word == ":location":
        return place(rest)
    return None


def attachment(kind: MediaKind, path_text: str) -> Media:
    path = Path(path_text).expanduser()
    if not path.is_file():
        raise ValueError(f"no file at {path_text!r}")
    mime_type, _ = mimetypes.guess_type(path.name)
    return Media(kind, str(path.resolve()), mime_type, path.stat().st_size, path.name)


def place(coordinates: str) -> Location:
    parts = coordinates.replace(",", " ").split()
    if len(parts) != 2:
        raise ValueError("a place is :location LATITUDE LONGITUDE, e.g. :location 30.47 -8.877")
    latitude, longitude = (float(part) for part in parts)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(f"{latitude}, {longitude} is not a place on Earth")
    return Location(latitude, longitude)
