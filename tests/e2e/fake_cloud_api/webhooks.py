"""Webhook delivery (signed, at least once, retried) and Meta's verification handshake."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import aiohttp

from .records import DeliveryAttempt, WebhookEvent
from .state import CloudCore, WebhookConfig


def sign(body: bytes, app_secret: str) -> str:
    """`X-Hub-Signature-256`: `sha256=` and the hex HMAC-SHA256 of the raw body."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def sign_sha1(body: bytes, app_secret: str) -> str:
    """The legacy `X-Hub-Signature` Meta still sends alongside."""
    return "sha1=" + hmac.new(app_secret.encode(), body, hashlib.sha1).hexdigest()


@dataclass(frozen=True)
class Verification:
    """One GET handshake the fake made."""

    url: str
    verify_token: str
    challenge: str
    status: int | None
    body: str | None
    ok: bool


class Webhooks(CloudCore):
    """The sender: one event at a time, in order; a non-2xx or a timeout is retried."""

    def _init_webhooks(self) -> None:
        """Initialise the sender's state."""
        self._sender: asyncio.Task[None] | None = None
        self._attempts: dict[int, int] = {}
        self.verifications: list[Verification] = []
        self.dropped_events: list[WebhookEvent] = []

    def set_webhook(self, url: str, app_secret: str) -> None:
        """Deliver events (pending ones first) to `url`, signed with `app_secret`."""
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"a webhook URL is http(s), not {url!r}")
        self.webhook = WebhookConfig(url, app_secret)
        self._notify()
        if self._sender is None or self._sender.done():
            self._sender = asyncio.create_task(self._send_loop())

    async def delete_webhook(self) -> None:
        """Stop delivering (events queue up until a webhook is set again)."""
        self.webhook = None
        await self._stop_sender()

    def redeliver(self, key: int | str) -> WebhookEvent:
        """Deliver an event again, byte for byte: by event id, or by a wamid it carries
        (the inbound message's id, or the business message whose status it is — the last)."""
        if isinstance(key, int):
            matches = [e for e in self.events if e.event_id == key]
        else:
            matches = [e for e in self.events if key in e.ids][-1:]
        if not matches:
            raise ValueError(f"no webhook event {key!r} was ever queued")
        self._queue(matches[0])
        return matches[0]

    async def verify_webhook(self, url: str, verify_token: str, timeout: float = 5.0) -> bool:
        """Meta's handshake: `GET url?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`;
        whether the receiver answered 200 with the challenge as the whole body."""
        challenge = str(secrets.randbelow(10**10))
        params = {
            "hub.mode": "subscribe",
            "hub.verify_token": verify_token,
            "hub.challenge": challenge,
        }
        status: int | None = None
        body: str | None = None
        try:
            async with (
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
                session.get(url, params=params) as response,
            ):
                status = response.status
                body = await response.text()
        except (aiohttp.ClientError, TimeoutError):
            pass
        ok = status == 200 and body == challenge
        self.verifications.append(Verification(url, verify_token, challenge, status, body, ok))
        return ok

    # --- the sender -----------------------------------------------------------------------
    async def _stop_sender(self) -> None:
        """Cancel the sender, if running."""
        task, self._sender = self._sender, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _send_loop(self) -> None:
        """POST pending events one at a time; retry failures after a short delay, up to
        `webhook_max_attempts` (then the event is dropped, see `dropped_events`)."""
        timeout = aiohttp.ClientTimeout(total=self.config.webhook_timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while self.webhook is not None and not self._closing:
                if not self._pending:
                    await self._wakeup.wait()
                    continue
                event = self._pending[0]
                config = self.webhook
                delivered = await self._post(session, config, event)
                attempts = self._attempts.get(id(event), 0)
                if delivered or attempts >= self.config.webhook_max_attempts:
                    if not delivered:
                        self.dropped_events.append(event)
                    self._pending.pop(0)
                    self._attempts.pop(id(event), None)
                else:
                    await asyncio.sleep(self.config.webhook_retry_delay)

    async def _post(
        self, session: aiohttp.ClientSession, config: WebhookConfig, event: WebhookEvent
    ) -> bool:
        """POST one event, record the attempt and return whether it was accepted."""
        signature = sign(event.body, config.app_secret)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "facebookexternalua",
            "X-Hub-Signature-256": signature,
            "X-Hub-Signature": sign_sha1(event.body, config.app_secret),
        }
        self._attempts[id(event)] = self._attempts.get(id(event), 0) + 1
        status: int | None = None
        error: str | None = None
        try:
            async with session.post(config.url, data=event.body, headers=headers) as response:
                status = response.status
                await response.read()
                if not 200 <= status < 300:
                    error = f"HTTP {status}"
        except TimeoutError:
            error = "timeout"
        except aiohttp.ClientError as exc:
            error = f"connection error: {exc!r}"
        self.deliveries.append(
            DeliveryAttempt(
                event.event_id,
                self._attempts[id(event)],
                config.url,
                status,
                error,
                signature,
                time.time(),
            )
        )
        return error is None
