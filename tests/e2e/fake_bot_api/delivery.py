"""Update delivery: getUpdates long polling and webhooks with retries."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import aiohttp

from . import validation
from .errors import ApiError, bad_request
from .params import Params
from .records import DeliveryAttempt, UploadedFile
from .registry import Described, api_method
from .state import BotCore

DEFAULT_UPDATE_TYPES_EXCLUDED = frozenset(
    {"chat_member", "message_reaction", "message_reaction_count"}
)
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


@dataclass(frozen=True)
class WebhookConfig:
    """The webhook set with setWebhook."""

    url: str
    secret_token: str | None
    max_connections: int


def _update_type(update: dict[str, Any]) -> str:
    """Return the kind of an update (`message`, `callback_query`, ...)."""
    return next(k for k in update if k != "update_id")


class Delivery(BotCore):
    """getUpdates, setWebhook/deleteWebhook/getWebhookInfo and the webhook sender."""

    def _init_delivery(self) -> None:
        """Initialise delivery state (called by the bot's constructor)."""
        self.webhook: WebhookConfig | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._webhook_error: tuple[int, str] | None = None
        self._attempts: dict[int, int] = defaultdict(int)
        self._poll_seq = 0
        self._closing = False

    async def dispatch(self, method: str, params: Params, *, source: str = "http") -> Any:
        """Handle one Bot API call (implemented by the bot)."""
        raise NotImplementedError

    # --- queue ------------------------------------------------------------------------
    def _allowed(self, update: dict[str, Any]) -> bool:
        """Whether the current allowed_updates setting lets this update through."""
        kind = _update_type(update)
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in DEFAULT_UPDATE_TYPES_EXCLUDED

    def _deliverable(self) -> list[dict[str, Any]]:
        """Drop pending updates of types not allowed and return the rest, in queue order."""
        self._pending = [u for u in self._pending if self._allowed(u)]
        return list(self._pending)

    def _confirm(self, offset: int | None) -> None:
        """Forget updates confirmed by `offset` (negative: keep only the last -offset);
        `on_confirm` (a test's hook) hears of each positive offset first."""
        if offset is None or offset == 0:
            return
        if offset > 0 and self.on_confirm is not None:
            self.on_confirm(offset)
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def _remove_pending(self, update: dict[str, Any]) -> None:
        """Remove this very update object from the queue."""
        self._pending = [u for u in self._pending if u is not update]

    def redeliver(self, update_id: int) -> None:
        """Queue an already delivered update again, with the same update_id."""
        if update_id not in self._all_updates:
            raise ValueError(f"no update {update_id} was ever queued")
        self._queue(json.loads(json.dumps(self._all_updates[update_id])))

    def _set_allowed(self, allowed: Any) -> None:
        """Apply an allowed_updates parameter (`[]` means Telegram's default set)."""
        if allowed is not None:
            if not isinstance(allowed, list):
                raise bad_request("can't parse allowed_updates JSON object")
            self._allowed_updates = [str(a) for a in allowed] or None

    @api_method("getUpdates")
    async def _get_updates(self, p: Params) -> list[dict[str, Any]]:
        """Answer pending updates, waiting up to `timeout` seconds for one."""
        if self.webhook is not None:
            raise ApiError(409, WEBHOOK_CONFLICT)
        limit = min(max(p.get_int("limit", 100) or 100, 1), 100)
        timeout = max(p.get_int("timeout", 0) or 0, 0)
        self._set_allowed(p.get_json("allowed_updates"))
        self._confirm(p.get_int("offset"))
        self._poll_seq += 1
        seq = self._poll_seq
        self._notify()
        deadline = time.monotonic() + timeout
        while True:
            if seq != self._poll_seq:
                raise ApiError(409, POLL_CONFLICT)
            ready = self._deliverable()[:limit]
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0 or self._closing:
                return ready
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)

    # --- webhook methods --------------------------------------------------------------
    @api_method("setWebhook")
    async def _set_webhook(self, p: Params) -> Described:
        """Set (or with an empty url, remove) the webhook."""
        url = p.get_str("url") or ""
        if not url:
            return await self._delete_webhook(p)
        if not url.startswith(("http://", "https://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        config = WebhookConfig(
            url,
            validation.secret_token(p.get_str("secret_token")),
            p.get_int("max_connections", 40) or 40,
        )
        self._set_allowed(p.get_json("allowed_updates"))
        if p.get_bool("drop_pending_updates"):
            self._pending.clear()
        already = self.webhook == config
        self.webhook = config
        self._webhook_error = None
        self._poll_seq += 1
        self._notify()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._webhook_loop())
        return Described(True, "Webhook is already set" if already else "Webhook was set")

    @api_method("deleteWebhook")
    async def _delete_webhook(self, p: Params) -> Described:
        """Remove the webhook, optionally dropping pending updates."""
        if p.get_bool("drop_pending_updates"):
            self._pending.clear()
        had = self.webhook is not None
        self.webhook = None
        await self._stop_webhook()
        return Described(True, "Webhook was deleted" if had else "Webhook is already deleted")

    @api_method("getWebhookInfo")
    async def _get_webhook_info(self, p: Params) -> dict[str, Any]:
        """Describe the webhook and the pending updates."""
        info: dict[str, Any] = {
            "url": self.webhook.url if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._deliverable()),
        }
        if self.webhook:
            info.update(max_connections=self.webhook.max_connections, ip_address="127.0.0.1")
            if self._allowed_updates:
                info["allowed_updates"] = list(self._allowed_updates)
        if self._webhook_error:
            info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    # --- webhook sender ---------------------------------------------------------------
    async def _stop_webhook(self) -> None:
        """Cancel the webhook sender, if running."""
        task, self._webhook_task = self._webhook_task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _webhook_loop(self) -> None:
        """POST pending updates one at a time, retrying failures after a short delay."""
        timeout = aiohttp.ClientTimeout(total=self.config.webhook_timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while self.webhook is not None and not self._closing:
                ready = self._deliverable()
                if not ready:
                    await self._wakeup.wait()
                    continue
                update = ready[0]
                if (
                    await self._post_update(session, self.webhook, update)
                    or self._attempts[update["update_id"]] >= self.config.webhook_max_attempts
                ):
                    self._remove_pending(update)
                    self._attempts.pop(update["update_id"], None)
                else:
                    await asyncio.sleep(self.config.webhook_retry_delay)

    async def _post_update(
        self, session: aiohttp.ClientSession, config: WebhookConfig, update: dict[str, Any]
    ) -> bool:
        """POST one update, record the attempt and return whether it was accepted."""
        headers = {"Content-Type": "application/json"}
        if config.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = config.secret_token
        update_id = update["update_id"]
        self._attempts[update_id] += 1
        status: int | None = None
        error: str | None = None
        try:
            async with session.post(config.url, data=json.dumps(update), headers=headers) as resp:
                status = resp.status
                if 200 <= status < 300:
                    await self._handle_webhook_reply(resp)
                else:
                    error = f"Wrong response from the webhook: {status} {resp.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            error = (
                "Connection refused"
                if isinstance(exc, aiohttp.ClientConnectionError)
                else f"Read timeout expired: {exc!r}"
            )
        self.deliveries.append(
            DeliveryAttempt(
                update_id,
                self._attempts[update_id],
                config.url,
                status,
                error,
                config.secret_token,
                time.time(),
            )
        )
        if error:
            self._webhook_error = (self._date(), error)
        return error is None

    async def _handle_webhook_reply(self, resp: aiohttp.ClientResponse) -> None:
        """Run a method the receiver answered in the webhook response body, if any."""
        raw: dict[str, Any] = {}
        if resp.content_type == "application/json":
            body = await resp.json(content_type=None)
            raw = body if isinstance(body, dict) else {}
        elif resp.content_type == "multipart/form-data":
            reader = aiohttp.MultipartReader.from_response(resp)
            while (part := await reader.next()) is not None:
                if isinstance(part, aiohttp.BodyPartReader) and part.name:
                    data = await part.read()
                    raw[part.name] = (
                        UploadedFile(part.name, part.filename, None, bytes(data))
                        if part.filename
                        else bytes(data).decode("utf-8", "replace")
                    )
        method = raw.pop("method", None)
        if isinstance(method, str) and method:
            await self.dispatch(method, Params(raw, resp.content_type), source="webhook-reply")
