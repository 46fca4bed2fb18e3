"""Bot API methods that send, edit and delete messages."""

from __future__ import annotations

import time
from typing import Any

from . import validation
from .errors import bad_request, blocked_by_user, too_many_requests
from .params import Params
from .registry import api_method
from .state import MessageVersion
from .users import UserActions

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def _summary(text: str, markup: dict[str, Any] | None) -> str:
    """Render a message and its keyboard on one transcript line."""
    rows = (markup or {}).get("inline_keyboard") or (markup or {}).get("keyboard") or []
    if not rows:
        return text
    labels = " / ".join(
        " | ".join(b if isinstance(b, str) else b.get("text", "") for b in row) for row in rows
    )
    return f"{text} [{labels}]"


class Messaging(UserActions):
    """sendMessage, media, location, poll, copy, edits, deletion and chat actions."""

    # --- common steps -----------------------------------------------------------------
    def _target(self, p: Params, method: str, *, rate_limited: bool = True) -> dict[str, Any]:
        """Resolve chat_id, refuse blocked citizens and apply the rate limits."""
        chat = self._known_chat(p.raw.get("chat_id"))
        if chat["id"] in self.blocked:
            raise blocked_by_user()
        if rate_limited:
            now = time.monotonic()
            violations = self.rates.check(chat["id"], chat["type"], method, now)
            if violations:
                self.rate_violations.extend(violations)
                if self.config.enforce_rates:
                    raise too_many_requests(self.rates.retry_after(violations, chat["id"], now))
            self.rates.record(chat["id"], now)
        return chat

    def _markup(self, p: Params) -> dict[str, Any] | None:
        """Return the validated reply_markup parameter."""
        return validation.reply_markup(p.get_json("reply_markup", validation.MARKUP_JSON_ERROR))

    def _reply_to(self, chat: dict[str, Any], p: Params) -> dict[str, Any] | None:
        """Return the message replied to (reply_parameters or reply_to_message_id)."""
        params = p.get_json("reply_parameters") or {}
        message_id = params.get("message_id") or p.get_int("reply_to_message_id")
        if not message_id:
            return None
        target = self._message(chat["id"], int(message_id))
        if target is None:
            if params.get("allow_sending_without_reply") or p.get_bool(
                "allow_sending_without_reply"
            ):
                return None
            raise bad_request("message to be replied not found")
        return {k: v for k, v in target.items() if k != "reply_to_message"}

    def _send(
        self,
        method: str,
        chat: dict[str, Any],
        p: Params,
        summary: str,
        markup: dict[str, Any] | None,
        **content: Any,
    ) -> dict[str, Any]:
        """Create, record and log a bot message; return its JSON."""
        message = self._bot_message(chat, reply_to_message=self._reply_to(chat, p), **content)
        parse_mode = p.get_str("parse_mode")
        source = p.get_str("text") or p.get_str("caption")
        self._record_sent(method, message, markup, parse_mode, source)
        self._log_line(chat["id"], f"bot: {_summary(summary, markup)}")
        return message

    # --- sending ----------------------------------------------------------------------
    @api_method("sendMessage", sends=True)
    async def _send_message(self, p: Params) -> dict[str, Any]:
        """Send a text message."""
        text = validation.message_text(p.get_str("text"), p.get_str("parse_mode"))
        markup = self._markup(p)
        chat = self._target(p, "sendMessage")
        return self._send("sendMessage", chat, p, text, markup, text=text)

    async def _send_media(self, method: str, field: str, p: Params) -> dict[str, Any]:
        """Send a photo, document or voice note with an optional caption."""
        caption = validation.caption(p.get_str("caption"), p.get_str("parse_mode"))
        markup = self._markup(p)
        media = self._file(p, field)
        chat = self._target(p, method)
        summary = f"[{field}] {caption or ''}".rstrip()
        return self._send(method, chat, p, summary, markup, caption=caption, **{field: media})

    @api_method("sendPhoto", sends=True)
    async def _send_photo(self, p: Params) -> dict[str, Any]:
        """Send a photo (file_id, URL or upload)."""
        return await self._send_media("sendPhoto", "photo", p)

    @api_method("sendDocument", sends=True)
    async def _send_document(self, p: Params) -> dict[str, Any]:
        """Send a document."""
        return await self._send_media("sendDocument", "document", p)

    @api_method("sendVoice", sends=True)
    async def _send_voice(self, p: Params) -> dict[str, Any]:
        """Send a voice note."""
        return await self._send_media("sendVoice", "voice", p)

    @api_method("sendLocation", sends=True)
    async def _send_location(self, p: Params) -> dict[str, Any]:
        """Send a location."""
        latitude, longitude = p.get_float("latitude"), p.get_float("longitude")
        if latitude is None or not -90 <= latitude <= 90:
            raise bad_request("wrong latitude specified")
        if longitude is None or not -180 <= longitude <= 180:
            raise bad_request("wrong longitude specified")
        markup = self._markup(p)
        chat = self._target(p, "sendLocation")
        location = {"latitude": latitude, "longitude": longitude}
        summary = f"[location {latitude}, {longitude}]"
        return self._send("sendLocation", chat, p, summary, markup, location=location)

    @api_method("sendPoll", sends=True)
    async def _send_poll(self, p: Params) -> dict[str, Any]:
        """Send a poll; its id is generated and later usable with `user_answers_poll`."""
        question = p.get_str("question")
        texts = validation.poll(question, p.get_json("options"))
        poll_type = p.get_str("type") or "regular"
        if poll_type not in ("regular", "quiz"):
            raise bad_request("wrong poll type specified")
        markup = self._markup(p)
        chat = self._target(p, "sendPoll")
        poll: dict[str, Any] = {
            "id": str(5_000_000_000_000_000_000 + next(self._ids)),
            "question": question,
            "options": [
                {"text": t, "voter_count": 0, "persistent_id": self._new_id("opt")} for t in texts
            ],
            "total_voter_count": 0,
            "is_closed": p.get_bool("is_closed"),
            "is_anonymous": p.get_bool("is_anonymous", True),
            "type": poll_type,
            "allows_multiple_answers": p.get_bool("allows_multiple_answers"),
            "allows_revoting": p.get_bool("allows_revoting", poll_type == "regular"),
            "members_only": p.get_bool("members_only"),
        }
        summary = f"[poll] {question} ({' / '.join(texts)})"
        message = self._send("sendPoll", chat, p, summary, markup, poll=poll)
        self.polls[poll["id"]] = {
            "poll": poll,
            "chat_id": chat["id"],
            "message_id": message["message_id"],
            "votes": {},
        }
        return message

    @api_method("stopPoll")
    async def _stop_poll(self, p: Params) -> dict[str, Any]:
        """Close a poll the bot sent and return it."""
        chat = self._known_chat(p.raw.get("chat_id"))
        message = self._message(chat["id"], p.get_int("message_id") or 0)
        if message is None or "poll" not in message:
            raise bad_request("message with poll to stop not found")
        poll: dict[str, Any] = message["poll"]
        if poll["is_closed"]:
            raise bad_request("poll has already been closed")
        poll["is_closed"] = True
        return poll

    @api_method("copyMessage", sends=True)
    async def _copy_message(self, p: Params) -> dict[str, int]:
        """Copy a known message into a chat; answer its MessageId."""
        source_chat = self._known_chat(p.raw.get("from_chat_id"))
        source = self._message(source_chat["id"], p.get_int("message_id") or 0)
        if source is None:
            raise bad_request("message to copy not found")
        keys = ("text", "entities", "photo", "document", "voice", "location", "sticker", "caption")
        content = {k: source[k] for k in keys if k in source}
        if p.has("caption"):
            content["caption"] = validation.caption(p.get_str("caption"), p.get_str("parse_mode"))
        markup = self._markup(p)
        chat = self._target(p, "copyMessage")
        summary = f"[copy of #{source['message_id']}] {content.get('text') or ''}".rstrip()
        message = self._send("copyMessage", chat, p, summary, markup, **content)
        return {"message_id": message["message_id"]}

    @api_method("sendChatAction")
    async def _send_chat_action(self, p: Params) -> bool:
        """Show "typing…" or another chat action."""
        validation.chat_action(p.get_str("action"))
        self._target(p, "sendChatAction", rate_limited=False)
        return True

    # --- editing and deleting ---------------------------------------------------------
    def _editable(self, p: Params) -> tuple[dict[str, Any], Any]:
        """Return (chat, record) of the bot message an edit targets."""
        if p.has("inline_message_id"):
            raise bad_request("message to edit not found")
        chat = self._known_chat(p.raw.get("chat_id"))
        message_id = p.get_int("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        record = self._sent_record(chat["id"], message_id)
        if record is None and self._message(chat["id"], message_id) is not None:
            raise bad_request("message can't be edited")
        if record is None or record.deleted:
            raise bad_request("message to edit not found")
        return chat, record

    def _apply_edit(
        self, p: Params, field: str | None, value: str | None, markup: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Apply an edit of `field` (None: keyboard only); omitting reply_markup removes it."""
        chat, record = self._editable(p)
        current: MessageVersion = record.versions[-1]
        old_markup = current.message.get("reply_markup")
        new_markup = markup if markup and "inline_keyboard" in markup else None
        if field == "text" and "text" not in current.message:
            raise bad_request("there is no text in the message to edit")
        unchanged_value = field is None or current.message.get(field) == value
        if unchanged_value and old_markup == new_markup:
            raise bad_request(NOT_MODIFIED)
        message = {k: v for k, v in current.message.items() if k != "reply_markup"}
        if field:
            message[field] = value
        if new_markup:
            message["reply_markup"] = new_markup
        message["edit_date"] = self._date()
        source = p.get_str(field) if field else current.source_text
        parse_mode = p.get_str("parse_mode") if field else current.parse_mode
        record.versions.append(MessageVersion(message, new_markup, parse_mode, source))
        self._store_message(message)
        shown = message.get("text") or message.get("caption") or ""
        line = f"bot edited #{record.message_id}: {_summary(shown, new_markup)}"
        self._log_line(chat["id"], line)
        return message

    @api_method("editMessageText")
    async def _edit_text(self, p: Params) -> dict[str, Any]:
        """Edit the text (and keyboard) of a bot message."""
        text = validation.message_text(p.get_str("text"), p.get_str("parse_mode"))
        return self._apply_edit(p, "text", text, self._markup(p))

    @api_method("editMessageCaption")
    async def _edit_caption(self, p: Params) -> dict[str, Any]:
        """Edit the caption (and keyboard) of a bot media message."""
        caption = validation.caption(p.get_str("caption"), p.get_str("parse_mode"))
        return self._apply_edit(p, "caption", caption, self._markup(p))

    @api_method("editMessageReplyMarkup")
    async def _edit_markup(self, p: Params) -> dict[str, Any]:
        """Replace (or, without reply_markup, remove) the inline keyboard."""
        return self._apply_edit(p, None, None, self._markup(p))

    @api_method("deleteMessage")
    async def _delete_message(self, p: Params) -> bool:
        """Delete a bot message, or a citizen's message in a private chat."""
        chat = self._known_chat(p.raw.get("chat_id"))
        message_id = p.get_int("message_id") or 0
        record = self._sent_record(chat["id"], message_id)
        if record is not None and not record.deleted:
            record.deleted = True
        elif record is None and self._message(chat["id"], message_id) is not None:
            pass
        else:
            raise bad_request("message to delete not found")
        self._messages.pop((chat["id"], message_id), None)
        self._log_line(chat["id"], f"bot deleted #{message_id}")
        return True
