"""Files: what citizens upload, what the bot sends, and what getFile serves."""

from __future__ import annotations

from typing import Any

from .errors import bad_request
from .params import Params
from .records import StoredFile, UploadedFile
from .state import BotCore

_FAKE_BYTES = {
    "photo": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9",
    "voice": b"OggS\x00\x02" + b"\x00" * 64,
    "document": b"%PDF-1.4\n% fake\n%%EOF\n",
    "sticker": b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 32,
}
_MEDIA_EXT = {"photo": "jpg", "document": "bin", "voice": "oga"}


class Media(BotCore):
    """Creation and resolution of files (photos, voice notes, documents, stickers)."""

    def _store_file(self, kind: str, ext: str, data: bytes | None, **extra: Any) -> StoredFile:
        """Create a downloadable file and return its record."""
        file_id = self._new_id(f"AgAD-{kind}-")
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=self._new_id(f"AQAD{kind[:2]}"),
            file_path=f"{kind}s/file_{len(self.files)}.{ext}",
            data=_FAKE_BYTES.get(kind, b"") if data is None else data,
            kind=kind,
            extra=extra,
        )
        self.files[file_id] = stored
        return stored

    def _file_json(self, stored: StoredFile) -> dict[str, Any]:
        """Return the Telegram file object (PhotoSize, Voice, Document, ...) of a stored file."""
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            **stored.extra,
        }

    def _photo_sizes(self, data: bytes | None) -> list[dict[str, Any]]:
        """Return three PhotoSize objects, smallest first, as Telegram sends them."""
        sizes = [(90, 68), (320, 240), (1280, 960)]
        return [
            self._file_json(self._store_file("photo", "jpg", data, width=w, height=h))
            for w, h in sizes
        ]

    def _file(self, p: Params, field: str) -> Any:
        """Resolve a media parameter into Telegram's file JSON (a PhotoSize list for photos)."""
        value = p.get_file(field)
        if value is None:
            raise bad_request(f"there is no {field} in the request")
        if isinstance(value, UploadedFile) or value.startswith(("http://", "https://")):
            data = value.data if isinstance(value, UploadedFile) else None
            if field == "photo":
                return self._photo_sizes(data)
            name = value.filename if isinstance(value, UploadedFile) else None
            extra: dict[str, Any] = {"file_name": name} if field == "document" and name else {}
            if field == "voice":
                extra = {"duration": 1, "mime_type": "audio/ogg"}
            return self._file_json(self._store_file(field, _MEDIA_EXT[field], data, **extra))
        stored = self.files.get(value)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if stored.kind != field:
            raise bad_request(
                f"wrong type of the web page content; can't use file of type "
                f"{stored.kind.capitalize()} as {field.capitalize()}"
            )
        return [self._file_json(stored)] if field == "photo" else self._file_json(stored)
