"""One fake bot: its state, method dispatch and the helpers tests assert with."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from .botinfo import BotMethods
from .delivery import Delivery
from .errors import ApiError
from .limits import InjectedFailure
from .messaging import Messaging
from .params import Params
from .records import Call, CallbackAnswer, CallbackQueryRecord, SentMessage
from .registry import API_METHODS, Described
from .state import BotConfig

log = logging.getLogger(__name__)


class WaitTimeout(AssertionError):
    """Raised when an awaited message or call does not arrive in time."""


class FakeBot(Messaging, BotMethods, Delivery):
    """A bot token's whole world: what citizens do and what the bot did."""

    def __init__(self, token: str, config: BotConfig, username: str) -> None:
        """Create an empty bot answering for `token`."""
        super().__init__(token, config, username)
        self._init_delivery()
        self.internal_errors: list[BaseException] = []

    # --- dispatch -----------------------------------------------------------------------
    async def dispatch(
        self,
        method: str,
        params: Params,
        *,
        source: str = "http",
        http_method: str = "POST",
    ) -> tuple[int, dict[str, Any]]:
        """Handle one Bot API call, record it and return (HTTP status, JSON body)."""
        spec = API_METHODS.get(method.lower())
        name = spec.name if spec else method
        try:
            if spec is None:
                raise ApiError(404, "Not Found: method not found")
            failure = self.failures.take(name)
            if failure is not None:
                raise failure.error()
            result = await spec.handler(self, params)
            body: dict[str, Any] = {"ok": True, "result": result}
            if isinstance(result, Described):
                body = {"ok": True, "result": result.result, "description": result.description}
            status = 200
        except ApiError as error:
            status, body = error.error_code, error.body()
        except Exception as error:  # a bug of the fake: answer 500 and keep it for the test
            log.exception("fake Bot API failed on %s", name)
            self.internal_errors.append(error)
            status = 500
            body = ApiError(500, f"Internal Server Error: fake failed: {error!r}").body()
        self.calls.append(
            Call(name, params.printable(), status, body, http_method, params.content_type, source)
        )
        return status, body

    # --- failure injection -----------------------------------------------------------
    @property
    def enforce_rates(self) -> bool:
        """Whether rate-limit violations answer 429 (otherwise they are only recorded)."""
        return self.config.enforce_rates

    @enforce_rates.setter
    def enforce_rates(self, value: bool) -> None:
        """Switch rate enforcement on or off."""
        self.config.enforce_rates = value

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        *,
        retry_after: int | None = None,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` (`*` = any) with an error."""
        self.failures.add(method, InjectedFailure(error_code, retry_after, description), times)

    def block(self, user_id: int) -> None:
        """Make every send to this citizen answer 403 (no update is sent)."""
        self.blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        """Let sends to this citizen succeed again."""
        self.blocked.discard(user_id)

    # --- what the bot did --------------------------------------------------------------
    def sent(self, chat_id: int) -> list[SentMessage]:
        """Messages the bot sent to a chat, in order, each in its current state."""
        return [record.snapshot() for record in self._sent.get(chat_id, [])]

    def last_sent(self, chat_id: int) -> SentMessage:
        """The latest message the bot sent to a chat."""
        messages = self.sent(chat_id)
        if not messages:
            raise AssertionError(f"the bot sent nothing to chat {chat_id}")
        return messages[-1]

    def transcript(self, chat_id: int) -> list[str]:
        """The conversation in a chat, one line per event (`user: …`, `bot: …`)."""
        return list(self._log.get(chat_id, []))

    def calls_to(self, method: str) -> list[Call]:
        """Calls of one method (case-insensitive)."""
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def update(self, update_id: int) -> dict[str, Any]:
        """The update queued under `update_id`."""
        return self._all_updates[update_id]

    def callback_answer(self, update_id: int) -> CallbackAnswer | None:
        """How the bot answered the callback query of this update (None: not yet)."""
        query_id = self._all_updates[update_id]["callback_query"]["id"]
        return self.callback_queries[query_id].answer

    def unanswered_callback_queries(self) -> list[CallbackQueryRecord]:
        """Callback queries the bot never answered (the citizen's button keeps spinning)."""
        return [r for r in self.callback_queries.values() if r.answer is None]

    def _failed_calls(self, chat_id: int | None = None) -> list[str]:
        """Describe calls answered with an error, optionally only those naming a chat."""
        return [
            f"{c.method} -> {c.status} {c.response.get('description')}"
            for c in self.calls
            if not c.ok and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
        ]

    async def wait_for_messages(
        self, chat_id: int, count: int, timeout: float = 5.0
    ) -> list[SentMessage]:
        """Wait until the bot has sent `count` messages (deleted included) to a chat."""
        deadline = time.monotonic() + timeout
        while len(self._sent.get(chat_id, [])) < count:
            if time.monotonic() > deadline:
                raise WaitTimeout(self._describe_wait(chat_id, count, timeout))
            await asyncio.sleep(0.01)
        return self.sent(chat_id)

    def _describe_wait(self, chat_id: int, count: int, timeout: float) -> str:
        """Explain what arrived when a wait timed out."""
        lines = [
            f"expected {count} bot message(s) in chat {chat_id} within {timeout}s, "
            f"got {len(self._sent.get(chat_id, []))}.",
            "transcript:",
            *(f"  {line}" for line in self.transcript(chat_id) or ["  (empty)"]),
            "failed calls:",
            *(f"  {line}" for line in self._failed_calls(chat_id) or ["(none)"]),
        ]
        if self.internal_errors:
            lines.append(f"fake errors: {self.internal_errors!r}")
        return "\n".join(lines)

    async def wait_for_calls(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until `method` was called `count` times; return those calls."""
        deadline = time.monotonic() + timeout
        while len(self.calls_to(method)) < count:
            if time.monotonic() > deadline:
                seen = ", ".join(c.method for c in self.calls[-20:]) or "nothing"
                raise WaitTimeout(
                    f"expected {count} call(s) of {method} within {timeout}s, got "
                    f"{len(self.calls_to(method))}; last calls: {seen}"
                )
            await asyncio.sleep(0.01)
        return self.calls_to(method)

    async def wait_for_deliveries(self, count: int, timeout: float = 5.0) -> None:
        """Wait until `count` webhook delivery attempts were made."""
        deadline = time.monotonic() + timeout
        while len(self.deliveries) < count:
            if time.monotonic() > deadline:
                raise WaitTimeout(
                    f"expected {count} webhook deliveries within {timeout}s, got "
                    f"{len(self.deliveries)}: {self.deliveries!r}"
                )
            await asyncio.sleep(0.01)

    async def close(self) -> None:
        """Release long polls and stop the webhook sender."""
        self._closing = True
        self._notify()
        await self._stop_webhook()
