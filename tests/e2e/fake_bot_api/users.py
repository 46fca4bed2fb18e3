"""What citizens do: helpers that build realistic updates and queue them for the bot."""

from __future__ import annotations

import copy
import re
import time
from typing import Any

from .media import Media
from .records import CallbackQueryRecord

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?")


class UserActions(Media):
    """Update injection: each helper queues one update (or two) and returns its update_id."""

    # --- building blocks --------------------------------------------------------------
    def _user_message(
        self,
        user_id: int,
        chat_id: int | None,
        first_name: str | None,
        language_code: str | None,
        **content: Any,
    ) -> dict[str, Any]:
        """Build and remember a message a citizen sends in a private chat or a group."""
        private = chat_id is None or chat_id == user_id
        user = self._user(user_id, first_name, language_code, private=private)
        if private:
            chat = self.chats[user_id]
        else:
            assert chat_id is not None
            if chat_id not in self.chats:
                self.add_chat(chat_id, "group")
            chat = self.chats[chat_id]
        message = {
            "message_id": self._next_message_id(chat["id"]),
            "from": user,
            "chat": dict(chat),
            "date": self._date(),
            **content,
        }
        self._store_message(message)
        return message

    def _queue_message(self, message: dict[str, Any], summary: str) -> int:
        """Log and queue a `message` update."""
        chat = message["chat"]
        who = "user" if chat["type"] == "private" else f"user {message['from']['id']}"
        self._log_line(chat["id"], f"{who}: {summary}")
        return self._enqueue("message", message)

    # --- messages ---------------------------------------------------------------------
    def user_sends_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str | None = None,
        language_code: str | None = None,
        chat_id: int | None = None,
    ) -> int:
        """A citizen sends a text (a leading /command gets its bot_command entity)."""
        content: dict[str, Any] = {"text": text}
        match = _COMMAND.match(text)
        if match:
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": match.end()}]
        message = self._user_message(user_id, chat_id, first_name, language_code, **content)
        return self._queue_message(message, text)

    def user_sends_command(
        self,
        user_id: int,
        command: str,
        args: str = "",
        *,
        first_name: str | None = None,
        language_code: str | None = None,
        chat_id: int | None = None,
    ) -> int:
        """A citizen sends `/command args` (e.g. `/start payload` from a deep link)."""
        text = "/" + command.removeprefix("/") + (f" {args}" if args else "")
        return self.user_sends_text(
            user_id, text, first_name=first_name, language_code=language_code, chat_id=chat_id
        )

    def group_message(
        self, chat_id: int, user_id: int, text: str, *, first_name: str | None = None
    ) -> int:
        """A citizen writes `text` in a group (registered with `add_chat`, else a group)."""
        return self.user_sends_text(user_id, text, first_name=first_name, chat_id=chat_id)

    def user_edits_text(
        self, user_id: int, message_id: int, text: str, *, chat_id: int | None = None
    ) -> int:
        """A citizen edits one of their text messages (an `edited_message` update)."""
        chat = chat_id if chat_id is not None else user_id
        original = self._message(chat, message_id)
        if original is None or original["from"]["id"] != user_id:
            raise ValueError(f"user {user_id} sent no message {message_id} in chat {chat}")
        edited = {**original, "text": text, "edit_date": self._date()}
        self._store_message(edited)
        self._log_line(chat, f"user edited #{message_id}: {text}")
        return self._enqueue("edited_message", edited)

    def user_sends_location(
        self, user_id: int, latitude: float, longitude: float, *, first_name: str | None = None
    ) -> int:
        """A citizen shares a location."""
        location = {"latitude": latitude, "longitude": longitude}
        message = self._user_message(user_id, None, first_name, None, location=location)
        return self._queue_message(message, f"[location {latitude}, {longitude}]")

    def user_sends_photo(
        self,
        user_id: int,
        *,
        caption: str | None = None,
        data: bytes | None = None,
        first_name: str | None = None,
    ) -> int:
        """A citizen sends a photo; `getFile` and the file route then serve `data`."""
        content: dict[str, Any] = {"photo": self._photo_sizes(data)}
        if caption:
            content["caption"] = caption
        message = self._user_message(user_id, None, first_name, None, **content)
        return self._queue_message(message, f"[photo] {caption or ''}".rstrip())

    def user_sends_voice(
        self,
        user_id: int,
        *,
        duration: int = 3,
        data: bytes | None = None,
        first_name: str | None = None,
    ) -> int:
        """A citizen sends a voice note."""
        stored = self._store_file("voice", "oga", data, duration=duration, mime_type="audio/ogg")
        message = self._user_message(user_id, None, first_name, None, voice=self._file_json(stored))
        return self._queue_message(message, f"[voice {duration}s]")

    def user_sends_document(
        self,
        user_id: int,
        *,
        file_name: str = "document.pdf",
        mime_type: str = "application/pdf",
        data: bytes | None = None,
        caption: str | None = None,
        first_name: str | None = None,
    ) -> int:
        """A citizen sends a document."""
        ext = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        stored = self._store_file("document", ext, data, file_name=file_name, mime_type=mime_type)
        content: dict[str, Any] = {"document": self._file_json(stored)}
        if caption:
            content["caption"] = caption
        message = self._user_message(user_id, None, first_name, None, **content)
        return self._queue_message(message, f"[document {file_name}] {caption or ''}".rstrip())

    def user_sends_sticker(
        self, user_id: int, *, emoji: str = "👍", first_name: str | None = None
    ) -> int:
        """A citizen sends a sticker."""
        stored = self._store_file(
            "sticker",
            "webp",
            None,
            type="regular",
            width=512,
            height=512,
            is_animated=False,
            is_video=False,
            emoji=emoji,
        )
        message = self._user_message(
            user_id, None, first_name, None, sticker=self._file_json(stored)
        )
        return self._queue_message(message, f"[sticker {emoji}]")

    # --- buttons, polls, blocking -----------------------------------------------------
    def user_presses_button(
        self,
        user_id: int,
        message_id: int,
        callback_data: str,
        *,
        chat_id: int | None = None,
        strict: bool = True,
    ) -> int:
        """A citizen presses an inline button of a bot message (`strict`: it must exist)."""
        chat = chat_id if chat_id is not None else user_id
        record = self._sent_record(chat, message_id)
        if record is None or record.deleted:
            raise ValueError(f"the bot has no message {message_id} in chat {chat}")
        current = record.snapshot()
        labels = [
            b["text"]
            for row in (current.reply_markup or {}).get("inline_keyboard", [])
            for b in row
            if b.get("callback_data") == callback_data
        ]
        if strict and not labels:
            raise ValueError(
                f"message {message_id} has no button with callback_data {callback_data!r}; "
                f"buttons: {current.callback_data}"
            )
        user = self._user(user_id, private=chat == user_id)
        query_id = str(4_000_000_000_000_000 + next(self._ids))
        payload = {
            "id": query_id,
            "from": user,
            "message": copy.deepcopy(current.message),
            "chat_instance": str(-7_000_000_000_000_000 - chat),
            "data": callback_data,
        }
        self._log_line(chat, f"user pressed [{labels[0] if labels else '?'}] ({callback_data})")
        update_id = self._enqueue("callback_query", payload)
        self.callback_queries[query_id] = CallbackQueryRecord(
            query_id, update_id, user_id, chat, message_id, callback_data, time.monotonic()
        )
        return update_id

    def user_answers_poll(
        self, user_id: int, poll_id: str, option_ids: list[int], *, with_poll_update: bool = True
    ) -> int:
        """A citizen votes (or withdraws with `[]`) in a non-anonymous poll the bot sent."""
        entry = self.polls.get(poll_id)
        if entry is None:
            raise ValueError(f"the bot sent no poll {poll_id!r}")
        poll = entry["poll"]
        if poll["is_anonymous"]:
            raise ValueError("Telegram sends no poll_answer for anonymous polls")
        if poll["is_closed"]:
            raise ValueError(f"poll {poll_id} is closed")
        options = poll["options"]
        if any(not 0 <= i < len(options) for i in option_ids) or (
            len(option_ids) > 1 and not poll["allows_multiple_answers"]
        ):
            raise ValueError(f"invalid option_ids {option_ids} for poll {poll_id}")
        votes: dict[int, list[int]] = entry["votes"]
        if votes.get(user_id) and not poll["allows_revoting"]:
            raise ValueError(f"poll {poll_id} does not allow changing a vote")
        for i in votes.get(user_id, []):
            options[i]["voter_count"] -= 1
        for i in option_ids:
            options[i]["voter_count"] += 1
        votes[user_id] = list(option_ids)
        poll["total_voter_count"] = sum(1 for v in votes.values() if v)
        payload = {
            "poll_id": poll_id,
            "user": self._user(user_id, private=False),
            "option_ids": list(option_ids),
            "option_persistent_ids": [options[i]["persistent_id"] for i in option_ids],
        }
        self._log_line(entry["chat_id"], f"user {user_id} voted {option_ids} in poll {poll_id}")
        update_id = self._enqueue("poll_answer", payload)
        if with_poll_update:
            self._enqueue("poll", copy.deepcopy(poll))
        return update_id

    def _membership_update(self, user_id: int, old: str, new: str) -> int:
        """Queue a `my_chat_member` update for the bot in a citizen's private chat."""
        user = self._user(user_id)

        def member(status: str) -> dict[str, Any]:
            body: dict[str, Any] = {"status": status, "user": dict(self.bot_user)}
            if status == "kicked":
                body["until_date"] = 0
            return body

        payload = {
            "chat": dict(self.chats[user_id]),
            "from": user,
            "date": self._date(),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        self._log_line(user_id, "user blocked the bot" if new == "kicked" else "user unblocked")
        return self._enqueue("my_chat_member", payload)

    def user_blocks_bot(self, user_id: int) -> int:
        """A citizen blocks the bot: a my_chat_member update, then sends answer 403."""
        self.blocked.add(user_id)
        return self._membership_update(user_id, "member", "kicked")

    def user_unblocks_bot(self, user_id: int) -> int:
        """A citizen unblocks (restarts) the bot."""
        self.blocked.discard(user_id)
        return self._membership_update(user_id, "kicked", "member")
