"""The Graph API calls of the WhatsApp channel (a thin client over aiohttp: the adapter
needs three calls, and the conversation state stays in the core's database): send a
message, and fetch a file a citizen sent by its media id. Errors come back as Graph error
codes in the JSON body; each is mapped to the sender's outcomes (bot.delivery_errors)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp

from bot.delivery_errors import (
    DeliveryError,
    OutsideWindow,
    Rejected,
    RetryLater,
    TransientNetworkError,
    Unreachable,
)

GRAPH_API = "https://graph.facebook.com"
# Meta's codes (developers.facebook.com/documentation/business-messaging/whatsapp/support/
# error-codes), grouped by what the sender does about them.
SLOW_DOWN = {4, 80007, 130429, 131048, 131056}  # throughput, spam and pair rate limits
OUTSIDE_WINDOW = {131047}  # more than 24 h since the citizen's last message
UNREACHABLE = {131026, 133010, 131021}  # undeliverable (blocked, no WhatsApp), or oneself
REJECTED = {100, 131008, 131009, 131051, 132000, 132001, 132005, 132007, 132012, 132015}
SLOW_DOWN_SECONDS = {131056: 6.0}  # a pair: one message every few seconds
DEFAULT_PAUSE = 2.0
MAX_MEDIA_BYTES = 100 * 1024 * 1024


def delivery_error(status: int, body: Mapping[str, Any]) -> DeliveryError:
    """The outcome of a refused call, from its Graph error code (else its HTTP status)."""
    error = body.get("error") if isinstance(body, Mapping) else None
    code = int(error.get("code", 0)) if isinstance(error, Mapping) else 0
    detail = f"Graph error {code} (HTTP {status})"
    if code in SLOW_DOWN or status == 429:
        return RetryLater(SLOW_DOWN_SECONDS.get(code, DEFAULT_PAUSE), detail)
    if code in OUTSIDE_WINDOW:
        return OutsideWindow(detail)
    if code in UNREACHABLE:
        return Unreachable(detail)
    if code in REJECTED or (400 <= status < 500 and status not in (401, 403) and code != 190):
        return Rejected(detail)
    return TransientNetworkError(detail)  # 5xx, a bad token (fixed by the operator), the rest


def delivery_error_of_code(code: int) -> DeliveryError:
    """The outcome of a `failed` delivery status (its error code, asynchronously)."""
    return delivery_error(400, {"error": {"code": code}})


class CloudApi:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        phone_number_id: str,
        access_token: str,
        *,
        base_url: str = GRAPH_API,
        version: str = "v23.0",
    ) -> None:
        self._session = session
        self._root = f"{base_url.rstrip('/')}/{version}"
        self._phone_number_id = phone_number_id
        self._headers = {"Authorization": f"Bearer {access_token}"}

    async def send(self, to: str, message: Mapping[str, Any]) -> str:
        """Send one message; the `wamid` WhatsApp gives it (for its delivery statuses)."""
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            **message,
        }
        url = f"{self._root}/{self._phone_number_id}/messages"
        try:
            async with self._session.post(url, json=body, headers=self._headers) as response:
                answer = await response.json(content_type=None)
                if response.status != 200:
                    raise delivery_error(response.status, answer or {})
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            raise TransientNetworkError(type(error).__name__) from None
        try:
            return str(answer["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise TransientNetworkError("a send answered without a message id") from None

    async def media(self, media_id: str) -> tuple[bytes, str | None]:
        """A file a citizen sent: its bytes and type (the URL Meta gives expires quickly)."""
        try:
            async with self._session.get(
                f"{self._root}/{media_id}", headers=self._headers
            ) as found:
                info = await found.json(content_type=None)
                if found.status != 200:
                    raise delivery_error(found.status, info or {})
            async with self._session.get(info["url"], headers=self._headers) as response:
                if response.status != 200:
                    raise delivery_error(response.status, {})
                data = await response.content.read(MAX_MEDIA_BYTES + 1)
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, TypeError) as error:
            raise TransientNetworkError(type(error).__name__) from None
        if len(data) > MAX_MEDIA_BYTES:
            raise Rejected("the file is larger than 100 MB")
        return data, info.get("mime_type")
