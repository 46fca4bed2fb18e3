"""Bot API methods about the bot itself: getMe, callbacks, files and commands."""

from __future__ import annotations

import json
import time
from typing import Any

from . import validation
from .errors import bad_request
from .params import Params
from .records import CallbackAnswer
from .registry import api_method
from .state import BotCore

QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
COMMAND_SCOPES = frozenset(
    [
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    ]
)


def _scope_key(scope: Any) -> str:
    """Return a canonical key for a BotCommandScope (default when absent)."""
    scope = scope or {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in COMMAND_SCOPES:
        raise bad_request("wrong bot command scope specified")
    return json.dumps(scope, sort_keys=True)


class BotMethods(BotCore):
    """getMe, answerCallbackQuery, getFile and the command-list methods."""

    @api_method("getMe")
    async def _get_me(self, p: Params) -> dict[str, Any]:
        """Return the bot's User object."""
        return dict(self.bot_user)

    @api_method("answerCallbackQuery")
    async def _answer_callback_query(self, p: Params) -> bool:
        """Answer a callback query once; unknown, repeated or expired answers get 400."""
        query_id = p.get_str("callback_query_id") or ""
        record = self.callback_queries.get(query_id)
        if record is None or record.answer is not None:
            raise bad_request(QUERY_TOO_OLD)
        latency = time.monotonic() - record.sent_at
        ttl = self.config.callback_query_ttl
        if ttl is not None and latency > ttl:
            raise bad_request(QUERY_TOO_OLD)
        text = validation.callback_answer_text(p.get_str("text"))
        record.answer = CallbackAnswer(
            query_id, text, p.get_bool("show_alert"), p.get_str("url"), latency
        )
        if text:
            self._log_line(record.chat_id, f"bot answered button: {text}")
        return True

    @api_method("getFile")
    async def _get_file(self, p: Params) -> dict[str, Any]:
        """Return the File object of a known file_id, with its download path."""
        stored = self.files.get(p.get_str("file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    def file_by_path(self, file_path: str) -> bytes | None:
        """Return the bytes served at /file/bot<token>/<file_path>."""
        return next((f.data for f in self.files.values() if f.file_path == file_path), None)

    @api_method("setMyCommands")
    async def _set_my_commands(self, p: Params) -> bool:
        """Store the command list of a scope and language."""
        commands = validation.commands(p.get_json("commands"))
        key = (
            _scope_key(p.get_json("scope")),
            validation.language_code(p.get_str("language_code")),
        )
        if commands:
            self._commands[key] = commands
        else:
            self._commands.pop(key, None)
        return True

    @api_method("getMyCommands")
    async def _get_my_commands(self, p: Params) -> list[dict[str, str]]:
        """Return the command list of exactly this scope and language (no fallback)."""
        key = (
            _scope_key(p.get_json("scope")),
            validation.language_code(p.get_str("language_code")),
        )
        return list(self._commands.get(key, []))

    @api_method("deleteMyCommands")
    async def _delete_my_commands(self, p: Params) -> bool:
        """Delete the command list of a scope and language."""
        key = (
            _scope_key(p.get_json("scope")),
            validation.language_code(p.get_str("language_code")),
        )
        self._commands.pop(key, None)
        return True

    def my_commands(
        self, language_code: str = "", scope: dict[str, Any] | None = None
    ) -> list[dict[str, str]]:
        """Return the commands recorded for a language ("" = all) and scope (default)."""
        return list(self._commands.get((_scope_key(scope), language_code), []))

    @property
    def commands_by_language(self) -> dict[str, list[dict[str, str]]]:
        """Commands of the default scope, keyed by language_code ("" for all languages)."""
        default = _scope_key(None)
        return {
            lang: list(cmds) for (scope, lang), cmds in self._commands.items() if scope == default
        }
