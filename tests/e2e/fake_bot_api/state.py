"""Per-bot state shared by the fake's mixins: users, chats, updates, messages, files."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, bad_request
from .limits import FailurePlan, RateLimits, RateTracker
from .records import (
    Call,
    CallbackQueryRecord,
    DeliveryAttempt,
    RateViolation,
    SentMessage,
    StoredFile,
)


@dataclass
class BotConfig:
    """Settings shared by every bot of one fake server (mutable between test steps)."""

    enforce_rates: bool = False
    rate_limits: RateLimits = field(default_factory=RateLimits)
    webhook_retry_delay: float = 0.05
    webhook_max_attempts: int = 5
    webhook_timeout: float = 10.0
    first_update_id: int = 10_001
    callback_query_ttl: float | None = None


@dataclass
class MessageVersion:
    """One version of a bot message: Telegram's JSON plus what was sent."""

    message: dict[str, Any]
    reply_markup: dict[str, Any] | None
    parse_mode: str | None
    source_text: str | None = None


@dataclass
class SentRecord:
    """Mutable bookkeeping behind a `SentMessage`."""

    method: str
    chat_id: int
    message_id: int
    versions: list[MessageVersion]
    deleted: bool = False

    def snapshot(self) -> SentMessage:
        """Return the frozen view of the current version, with earlier ones as history."""
        history = tuple(_snapshot(self, v, ()) for v in self.versions[:-1])
        return _snapshot(self, self.versions[-1], history)


def _snapshot(
    record: SentRecord, version: MessageVersion, history: tuple[SentMessage, ...]
) -> SentMessage:
    """Build a `SentMessage` for one version of a record."""
    msg = version.message
    photo = msg.get("photo")
    location = msg.get("location")
    return SentMessage(
        method=record.method,
        chat_id=record.chat_id,
        message_id=record.message_id,
        message=msg,
        text=msg.get("text"),
        caption=msg.get("caption"),
        parse_mode=version.parse_mode,
        source_text=version.source_text,
        reply_markup=version.reply_markup,
        photo=photo[-1]["file_id"] if photo else None,
        document=(msg.get("document") or {}).get("file_id"),
        voice=(msg.get("voice") or {}).get("file_id"),
        location={k: location[k] for k in ("latitude", "longitude")} if location else None,
        poll=msg.get("poll"),
        deleted=record.deleted,
        history=history,
    )


class BotCore:
    """State of one fake bot; the mixins add update injection, methods and webhooks."""

    def __init__(self, token: str, config: BotConfig, username: str) -> None:
        """Create an empty bot identified by `token`."""
        self.token = token
        self.config = config
        bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        self.bot_user: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Tachawor",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.chats: dict[int, dict[str, Any]] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.blocked: set[int] = set()
        self.calls: list[Call] = []
        self.rate_violations: list[RateViolation] = []
        # Called with each positive getUpdates offset, before the updates it confirms are
        # forgotten (a test kills the bot at that very moment).
        self.on_confirm: Callable[[int], None] | None = None
        self.deliveries: list[DeliveryAttempt] = []
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.polls: dict[str, dict[str, Any]] = {}
        self.files: dict[str, StoredFile] = {}
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.failures = FailurePlan()
        self.rates = RateTracker(config.rate_limits)
        self._ids = itertools.count(1)
        self._next_update_id = config.first_update_id
        self._pending: list[dict[str, Any]] = []
        self._all_updates: dict[int, dict[str, Any]] = {}
        self._allowed_updates: list[str] | None = None
        self._wakeup = asyncio.Event()
        self._last_message_id: dict[int, int] = defaultdict(int)
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._sent: dict[int, list[SentRecord]] = defaultdict(list)
        self._sent_index: dict[tuple[int, int], SentRecord] = {}
        self._log: dict[int, list[str]] = defaultdict(list)

    # --- ids and clocks -------------------------------------------------------------
    @staticmethod
    def _date() -> int:
        """Return the current Unix time as Telegram's `date`."""
        return int(time.time())

    def _new_id(self, prefix: str) -> str:
        """Return a fresh opaque identifier."""
        return f"{prefix}{next(self._ids):06d}"

    def _next_message_id(self, chat_id: int) -> int:
        """Return the next message_id of a chat (shared by the citizen and the bot)."""
        self._last_message_id[chat_id] += 1
        return self._last_message_id[chat_id]

    # --- users and chats ------------------------------------------------------------
    def _user(
        self,
        user_id: int,
        first_name: str | None = None,
        language_code: str | None = None,
        username: str | None = None,
        *,
        private: bool = True,
    ) -> dict[str, Any]:
        """Return (and remember) the User object of a citizen; `private` opens their chat."""
        user = self.users.setdefault(
            user_id, {"id": user_id, "is_bot": False, "first_name": first_name or "Citizen"}
        )
        if first_name:
            user["first_name"] = first_name
        if language_code:
            user["language_code"] = language_code
        if username:
            user["username"] = username
        if private:
            chat = {"id": user_id, "type": "private", "first_name": user["first_name"]}
            if "username" in user:
                chat["username"] = user["username"]
            self.chats[user_id] = chat
        return dict(user)

    def add_chat(self, chat_id: int, type: str = "group", title: str | None = None) -> None:
        """Make a group, supergroup or channel known, so sends to it succeed."""
        self.chats[chat_id] = {"id": chat_id, "type": type, "title": title or f"Chat {chat_id}"}

    def _known_chat(self, chat_id: Any) -> dict[str, Any]:
        """Return a known chat or answer 400 `chat not found`."""
        if chat_id in (None, ""):
            raise bad_request("chat_id is empty")
        try:
            chat = self.chats.get(int(chat_id))
        except (TypeError, ValueError):
            chat = None
        if chat is None and str(chat_id).lstrip("-").isdigit() and int(chat_id) in self.users:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        if chat is None:
            raise bad_request("chat not found")
        return chat

    # --- updates --------------------------------------------------------------------
    def _enqueue(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an update of type `kind` and return its update_id."""
        update_id = self._next_update_id
        self._next_update_id += 1
        update = {"update_id": update_id, kind: payload}
        self._all_updates[update_id] = update
        self._queue(update)
        return update_id

    def _queue(self, update: dict[str, Any]) -> None:
        """Add an update to the pending queue and wake waiting pollers and webhooks."""
        self._pending.append(update)
        self._notify()

    def _notify(self) -> None:
        """Wake everything waiting for a change of the pending queue."""
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    def _log_line(self, chat_id: int, line: str) -> None:
        """Append a line to a chat's transcript."""
        self._log[chat_id].append(line)

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed (getUpdates) or delivered (webhook)."""
        return list(self._pending)

    # --- messages -------------------------------------------------------------------
    def _store_message(self, message: dict[str, Any]) -> None:
        """Remember a message (the citizen's or the bot's) by chat and id."""
        self._messages[(message["chat"]["id"], message["message_id"])] = message

    def _message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """Return a known message, if any."""
        return self._messages.get((chat_id, message_id))

    def _bot_message(self, chat: dict[str, Any], **content: Any) -> dict[str, Any]:
        """Build the Message JSON of a new bot message in `chat`."""
        message = {
            "message_id": self._next_message_id(chat["id"]),
            "from": dict(self.bot_user),
            "chat": dict(chat),
            "date": self._date(),
        }
        message.update({k: v for k, v in content.items() if v is not None})
        return message

    def _record_sent(
        self,
        method: str,
        message: dict[str, Any],
        reply_markup: dict[str, Any] | None,
        parse_mode: str | None,
        source_text: str | None = None,
    ) -> None:
        """Record a new bot message."""
        if reply_markup and "inline_keyboard" in reply_markup:
            message["reply_markup"] = reply_markup
        chat_id = message["chat"]["id"]
        version = MessageVersion(message, reply_markup, parse_mode, source_text)
        record = SentRecord(method, chat_id, message["message_id"], [version])
        self._sent[chat_id].append(record)
        self._sent_index[(chat_id, message["message_id"])] = record
        self._store_message(message)

    def _sent_record(self, chat_id: int, message_id: int) -> SentRecord | None:
        """Return the record of a bot message, if the bot sent it."""
        return self._sent_index.get((chat_id, message_id))
