"""What citizens do: helpers that build realistic inbound webhooks and return the wamid."""

from __future__ import annotations

import hashlib
from typing import Any

from .errors import status_error
from .media import Media
from .records import SentMessage


class UserActions(Media):
    """Inbound messages, button presses, list picks, reads and blocks."""

    # --- building blocks --------------------------------------------------------------
    def _inbound(
        self,
        wa_id: str,
        kind: str,
        content: Any,
        summary: str,
        *,
        profile_name: str | None = None,
        context: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> str:
        """Queue a `messages` webhook for one message of a citizen; opens the 24-hour window."""
        if not wa_id.isdigit():
            raise ValueError(f"a wa_id is digits only, not {wa_id!r}")
        self.add_user(wa_id, profile_name)
        wamid = self._new_wamid(wa_id)
        message: dict[str, Any] = {"from": wa_id, "id": wamid, "timestamp": self._timestamp()}
        if context:
            message["context"] = context
        message["type"] = kind
        if content is not None:
            message[kind] = content
        message.update(extra or {})
        self.inbound[wamid] = message
        self.last_inbound[wa_id] = self.now()
        self._log_line(wa_id, f"user: {summary}")
        self._queue_event(
            "message",
            {
                "metadata": self._metadata(),
                "contacts": [{"profile": {"name": self.names[wa_id]}, "wa_id": wa_id}],
                "messages": [message],
            },
        )
        return wamid

    def _context(self, message_id: str) -> dict[str, str]:
        """`context` of a message replying to (or pressing a button of) a business message."""
        return {"from": self.config.display_phone_number, "id": message_id}

    def _seen_message(self, wa_id: str, message_id: str | None, what: str) -> list[SentMessage]:
        """The business messages the citizen can act on, newest first (or the given one)."""
        seen = [m for m in reversed(self._sent_to.get(wa_id, [])) if m.seen]
        if message_id is None:
            return seen
        chosen = [m for m in seen if m.wamid == message_id]
        if not chosen:
            raise ValueError(f"{wa_id} never saw a message {message_id} to reply to with {what}")
        return chosen

    # --- messages -----------------------------------------------------------------------
    def user_sends_text(
        self,
        wa_id: str,
        text: str,
        *,
        profile_name: str | None = None,
        reply_to: str | None = None,
    ) -> str:
        """A citizen writes `text` (`reply_to`: swiping to reply to a business message)."""
        context = self._context(reply_to) if reply_to else None
        return self._inbound(
            wa_id, "text", {"body": text}, text, profile_name=profile_name, context=context
        )

    def user_presses_button(self, wa_id: str, title: str, *, message_id: str | None = None) -> str:
        """A citizen taps a reply button (by title, or id) of the latest message showing it."""
        candidates = self._seen_message(wa_id, message_id, f"button {title!r}")
        for sent in candidates:
            for button_id, button_title in sent.buttons:
                if title in (button_title, button_id):
                    reply = {"id": button_id, "title": button_title}
                    return self._inbound(
                        wa_id,
                        "interactive",
                        {"type": "button_reply", "button_reply": reply},
                        f"[{button_title}] ({button_id})",
                        context=self._context(sent.wamid),
                    )
        shown = next((m.button_titles for m in candidates if m.buttons), [])
        raise ValueError(f"{wa_id} sees no button {title!r}; latest buttons: {shown}")

    def user_picks_from_list(self, wa_id: str, title: str, *, message_id: str | None = None) -> str:
        """A citizen opens a list message and picks a row (by title, or id)."""
        candidates = self._seen_message(wa_id, message_id, f"row {title!r}")
        for sent in candidates:
            for row_id, row_title, description in sent.rows:
                if title in (row_title, row_id):
                    reply = {"id": row_id, "title": row_title}
                    if description is not None:
                        reply["description"] = description
                    return self._inbound(
                        wa_id,
                        "interactive",
                        {"type": "list_reply", "list_reply": reply},
                        f"☰ {row_title} ({row_id})",
                        context=self._context(sent.wamid),
                    )
        shown = next((m.row_titles for m in candidates if m.rows), [])
        raise ValueError(f"{wa_id} sees no list row {title!r}; latest rows: {shown}")

    def user_sends_location(
        self,
        wa_id: str,
        latitude: float,
        longitude: float,
        *,
        name: str | None = None,
        address: str | None = None,
        profile_name: str | None = None,
    ) -> str:
        """A citizen shares a location (a pinned place has a name and an address)."""
        location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        if name is not None:
            location["name"] = name
        if address is not None:
            location["address"] = address
        summary = f"[location {latitude}, {longitude}] {name or ''}".rstrip()
        return self._inbound(wa_id, "location", location, summary, profile_name=profile_name)

    def user_sends_image(
        self,
        wa_id: str,
        *,
        data: bytes | None = None,
        caption: str | None = None,
        mime_type: str = "image/jpeg",
        profile_name: str | None = None,
    ) -> str:
        """A citizen sends a photo; the media endpoints then serve `data`."""
        stored = self._store_media("image", data, mime_type)
        content = self._media_json(stored, caption=caption)
        summary = f"[image] {caption or ''}".rstrip()
        return self._inbound(wa_id, "image", content, summary, profile_name=profile_name)

    def user_sends_voice(
        self, wa_id: str, *, data: bytes | None = None, profile_name: str | None = None
    ) -> str:
        """A citizen records a voice note (`audio` with `voice: true`, Opus in Ogg)."""
        stored = self._store_media("audio", data, "audio/ogg; codecs=opus")
        content = self._media_json(stored, voice=True)
        return self._inbound(wa_id, "audio", content, "[voice]", profile_name=profile_name)

    def user_sends_audio(
        self,
        wa_id: str,
        *,
        data: bytes | None = None,
        mime_type: str = "audio/mpeg",
        profile_name: str | None = None,
    ) -> str:
        """A citizen forwards an audio file (`voice: false`)."""
        stored = self._store_media("audio", data, mime_type)
        content = self._media_json(stored, voice=False)
        return self._inbound(wa_id, "audio", content, "[audio]", profile_name=profile_name)

    def user_sends_document(
        self,
        wa_id: str,
        *,
        filename: str = "document.pdf",
        mime_type: str = "application/pdf",
        data: bytes | None = None,
        caption: str | None = None,
        profile_name: str | None = None,
    ) -> str:
        """A citizen sends a document."""
        stored = self._store_media("document", data, mime_type, filename=filename)
        content = self._media_json(stored, filename=filename, caption=caption)
        summary = f"[document {filename}] {caption or ''}".rstrip()
        return self._inbound(wa_id, "document", content, summary, profile_name=profile_name)

    def user_sends_video(
        self,
        wa_id: str,
        *,
        data: bytes | None = None,
        caption: str | None = None,
        profile_name: str | None = None,
    ) -> str:
        """A citizen sends a video."""
        stored = self._store_media("video", data, "video/mp4")
        content = self._media_json(stored, caption=caption)
        summary = f"[video] {caption or ''}".rstrip()
        return self._inbound(wa_id, "video", content, summary, profile_name=profile_name)

    def user_sends_sticker(
        self,
        wa_id: str,
        *,
        data: bytes | None = None,
        animated: bool = False,
        profile_name: str | None = None,
    ) -> str:
        """A citizen sends a sticker (WebP)."""
        stored = self._store_media("sticker", data, "image/webp")
        content = self._media_json(stored, animated=animated)
        return self._inbound(wa_id, "sticker", content, "[sticker]", profile_name=profile_name)

    def user_sends_contacts(
        self,
        wa_id: str,
        formatted_name: str,
        phone: str,
        *,
        contact_wa_id: str | None = None,
        profile_name: str | None = None,
    ) -> str:
        """A citizen shares a contact card."""
        entry: dict[str, Any] = {"phone": phone, "type": "CELL"}
        if contact_wa_id:
            entry["wa_id"] = contact_wa_id
        first = formatted_name.split(" ", 1)[0]
        contacts = [
            {"name": {"formatted_name": formatted_name, "first_name": first}, "phones": [entry]}
        ]
        summary = f"[contact {formatted_name} {phone}]"
        return self._inbound(wa_id, "contacts", contacts, summary, profile_name=profile_name)

    def user_reacts(self, wa_id: str, message_id: str, emoji: str) -> str:
        """A citizen reacts to a business message (an empty emoji removes the reaction)."""
        self._seen_message(wa_id, message_id, f"reaction {emoji!r}")
        reaction = (
            {"message_id": message_id, "emoji": emoji} if emoji else {"message_id": message_id}
        )
        return self._inbound(wa_id, "reaction", reaction, f"[reaction {emoji or '∅'}]")

    def user_sends_unsupported(self, wa_id: str, *, profile_name: str | None = None) -> str:
        """A citizen sends something the Cloud API does not support (a poll, a view-once…)."""
        errors = [status_error(131051)]
        return self._inbound(
            wa_id,
            "unsupported",
            None,
            "[unsupported]",
            profile_name=profile_name,
            extra={"errors": errors},
        )

    # --- statuses -----------------------------------------------------------------------
    def _queue_status(self, sent: SentMessage, status: str, error_code: int | None = None) -> None:
        """Queue a `statuses` webhook for a business message."""
        item: dict[str, Any] = {
            "id": sent.wamid,
            "status": status,
            "timestamp": self._timestamp(),
            "recipient_id": sent.to,
        }
        if "biz_opaque_callback_data" in sent.payload:  # Meta echoes it in every status
            item["biz_opaque_callback_data"] = sent.payload["biz_opaque_callback_data"]
        if status in ("sent", "delivered"):
            category = sent.category
            day = f"{sent.to}:{int(sent.sent_at) // 86400}".encode()
            item["conversation"] = {
                "id": hashlib.md5(day, usedforsecurity=False).hexdigest(),
                "origin": {"type": category},
            }
            if status == "sent":
                item["conversation"]["expiration_timestamp"] = str(int(sent.sent_at + 86400))
            item["pricing"] = {"billable": True, "pricing_model": "PMP", "category": category}
        if error_code is not None:
            item["errors"] = [status_error(error_code)]
            sent.error_code = error_code
        sent.statuses.append(status)
        self._queue_event("status", {"metadata": self._metadata(), "statuses": [item]})
        for listener in list(self.listeners):
            listener(status, sent)

    def user_reads(self, wa_id: str, message_id: str | None = None) -> list[str]:
        """A citizen opens the chat: `read` statuses for what they saw and had not read yet."""
        read = []
        for sent in self._sent_to.get(wa_id, []):
            if message_id not in (None, sent.wamid):
                continue
            if sent.seen and "delivered" in sent.statuses and "read" not in sent.statuses:
                self._queue_status(sent, "read")
                read.append(sent.wamid)
        if read:
            self._log_line(wa_id, f"user read {len(read)} message(s)")
        return read

    def user_blocks(self, wa_id: str) -> None:
        """A citizen blocks the business number: sends are accepted, then fail with 131026."""
        self.blocked.add(wa_id)
        self._log_line(wa_id, "user blocked the business")

    def user_unblocks(self, wa_id: str) -> None:
        """A citizen unblocks the business number."""
        self.blocked.discard(wa_id)
        self._log_line(wa_id, "user unblocked the business")
