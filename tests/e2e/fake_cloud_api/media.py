"""Media: what citizens send, what the business uploads, and what the media endpoints serve."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from .errors import GraphError, invalid_parameter
from .records import StoredMedia
from .state import CloudCore

FAKE_BYTES: dict[str, bytes] = {
    "image": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9",
    "audio": b"OggS\x00\x02" + b"\x00" * 64,
    "document": b"%PDF-1.4\n% fake\n%%EOF\n",
    "sticker": b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 32,
    "video": b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32,
}
# Upload limits of the Cloud API (bytes) and the types it takes.
MAX_SIZES: dict[str, int] = {
    "image": 5 * 1024 * 1024,
    "audio": 16 * 1024 * 1024,
    "video": 16 * 1024 * 1024,
    "sticker": 500 * 1024,
    "document": 100 * 1024 * 1024,
}
UPLOAD_TYPES: dict[str, str] = {
    "image/jpeg": "image",
    "image/png": "image",
    "image/webp": "sticker",
    "audio/aac": "audio",
    "audio/amr": "audio",
    "audio/mpeg": "audio",
    "audio/mp4": "audio",
    "audio/ogg": "audio",
    "video/mp4": "video",
    "video/3gpp": "video",
    "text/plain": "document",
    "application/pdf": "document",
    "application/msword": "document",
    "application/vnd.ms-excel": "document",
    "application/vnd.ms-powerpoint": "document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "document",
}


def sha256_of(data: bytes) -> str:
    """The media's `sha256` as Meta gives it (base64 of the digest)."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


class Media(CloudCore):
    """Stored media and their JSON."""

    root_url: str

    def _store_media(
        self,
        kind: str,
        data: bytes | None,
        mime_type: str,
        *,
        filename: str | None = None,
        origin: str = "user",
    ) -> StoredMedia:
        """Keep bytes under a fresh media id (default bytes of the kind when `data` is None)."""
        body = FAKE_BYTES.get(kind, b"") if data is None else data
        stored = StoredMedia(
            self._new_media_id(), body, mime_type, sha256_of(body), filename, origin
        )
        self.media[stored.media_id] = stored
        return stored

    def media_exists(self, media_id: str) -> bool:
        """Whether a media id can be sent or downloaded."""
        return media_id in self.media

    def media_url(self, media_id: str) -> str:
        """The download URL `GET /{version}/{media_id}` answers now (it expires)."""
        expires = int(self.now() + self.config.media_url_ttl)
        return f"{self.root_url}/media-download/{media_id}?expires={expires}"

    def media_bytes(self, media_id: str) -> bytes:
        """The bytes stored under a media id (a test's shortcut)."""
        return self.media[media_id].data

    def upload(self, data: bytes, mime_type: str, filename: str | None) -> StoredMedia:
        """Store what `POST /{phone_number_id}/media` uploads, as the Cloud API checks it."""
        base = mime_type.split(";", 1)[0].strip().lower()
        kind = UPLOAD_TYPES.get(base)
        if kind is None:
            raise invalid_parameter("file", f"unsupported media type {mime_type!r}")
        if not data:
            raise invalid_parameter("file", "is empty")
        if len(data) > MAX_SIZES[kind]:
            raise GraphError(
                131053,
                "(#131053) Media upload error",
                details=f"file: {len(data)} bytes, at most {MAX_SIZES[kind]} for {kind}",
            )
        return self._store_media(kind, data, base, filename=filename, origin="business")

    def _media_json(self, stored: StoredMedia, **extra: Any) -> dict[str, Any]:
        """The media object of an inbound message (`image`, `audio`, `document`, …)."""
        body: dict[str, Any] = {
            "id": stored.media_id,
            "mime_type": stored.mime_type,
            "sha256": stored.sha256,
        }
        body.update({k: v for k, v in extra.items() if v is not None})
        return body
