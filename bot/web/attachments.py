"""The files citizens attached to complaints, as the back-office shows them: fetched from
the channel through the bot (Telegram, WhatsApp) and kept in memory, so a photo looked at
twice is fetched once. Nothing is written to disk: an erased complaint's file leaves with
the process, and the page never serves it again since it looks the complaint up first."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import aiohttp

from bot.delivery_errors import DeliveryError
from bot.settings import Settings
from bot.telegram.files import FileUnavailable, download_telegram_file
from bot.whatsapp.cloud_api import CloudApi

CACHE_BYTES = 64 * 1024 * 1024
LARGEST_CACHED = 8 * 1024 * 1024
# Shown or played in the page; anything else is a download (never run in the browser).
INLINE_TYPES = {
    "image/jpeg", "image/png", "image/webp", "image/gif",
    "audio/ogg", "audio/mpeg", "audio/mp4", "audio/aac", "audio/wav",
}  # fmt: skip
DEFAULT_TYPES = {"photo": "image/jpeg", "voice": "audio/ogg", "audio": "audio/mpeg"}


@dataclass(frozen=True, slots=True)
class Attachment:
    data: bytes
    content_type: str
    inline: bool


def content_type_of(kind: str, mime: str | None) -> str:
    return (mime or DEFAULT_TYPES.get(kind) or "application/octet-stream").lower()


class AttachmentFetcher:
    """Fetch a file by its channel reference, with a small in-memory cache."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cached_bytes = 0
        self._session: aiohttp.ClientSession | None = None

    def can_fetch(self, channel: str) -> bool:
        settings = self._settings
        if channel == "telegram":
            return settings.telegram_bot_token is not None
        if channel == "whatsapp":
            return bool(settings.whatsapp_phone_number_id and settings.whatsapp_access_token)
        return False

    async def fetch(self, channel: str, file_ref: str, kind: str, mime: str | None) -> Attachment:
        if not self.can_fetch(channel):
            raise FileUnavailable(f"files of {channel} cannot be fetched")
        data = self._cache.get(file_ref)
        if data is None:
            data = await self._download(channel, file_ref)
            self._keep(file_ref, data)
        else:
            self._cache.move_to_end(file_ref)
        content_type = content_type_of(kind, mime)
        return Attachment(data, content_type, content_type in INLINE_TYPES)

    async def _download(self, channel: str, file_ref: str) -> bytes:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        settings = self._settings
        if channel == "whatsapp":
            token = settings.whatsapp_access_token
            assert token is not None and settings.whatsapp_phone_number_id
            api = CloudApi(
                self._session, settings.whatsapp_phone_number_id, token.get_secret_value(),
                base_url=settings.whatsapp_graph_api_base_url,
                version=settings.whatsapp_api_version,
            )  # fmt: skip
            try:
                data, _mime = await api.media(file_ref)
            except DeliveryError as error:
                raise FileUnavailable(str(error)) from None
            return data
        token = settings.telegram_bot_token
        assert token is not None
        return await download_telegram_file(
            self._session, settings.telegram_api_base_url, token.get_secret_value(), file_ref
        )

    def _keep(self, file_ref: str, data: bytes) -> None:
        if len(data) > LARGEST_CACHED:
            return
        self._cache[file_ref] = data
        self._cached_bytes += len(data)
        while self._cached_bytes > CACHE_BYTES:
            _, oldest = self._cache.popitem(last=False)
            self._cached_bytes -= len(oldest)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
