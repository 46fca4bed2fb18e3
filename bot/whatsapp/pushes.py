"""The outbox's messages on WhatsApp, under the 24-hour window.

WhatsApp delivers a free-form message only within 24 hours of the citizen's last message.
A push (a complaint's status, a workshop reminder, a broadcast, a reply queued earlier)
goes free-form while the window is open, with a margin for the time it takes; outside it,
as the approved template for its kind, the push's text in its variable; with no template
for its kind, `OutsideWindow`: the outbox sender keeps the row waiting until the citizen
writes again (the webhook wakes it then). If WhatsApp still finds the window closed (its
clock, a message handled late), it says so — at once or in a `failed` status later — and
the row waits the same way.

The citizen's last message is their conversation's last turn (`updated_at`): every message
they send is a turn, and nothing else moves it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.delivery_errors import OutsideWindow
from bot.outbox_sender import Push, Sent
from bot.whatsapp.rendering import Payload, text_of
from bot.whatsapp.sending import WhatsAppSender
from bot.whatsapp.templates import TemplateChoice, template_message
from bot.whatsapp.updates import CHANNEL
from handlers.clock import Clock, SystemClock
from handlers.types import Outgoing

logger = logging.getLogger(__name__)

OUTBOX_TAG = "outbox:"
WINDOW = timedelta(hours=24)
# A message must reach WhatsApp inside the window: free-form only this long before it ends.
WINDOW_MARGIN = timedelta(minutes=10)


class WhatsAppPushes:
    """The outbox sender's `send` for WhatsApp: free-form in the window, else a template,
    else `OutsideWindow`."""

    def __init__(
        self,
        sender: WhatsAppSender,
        templates: TemplateChoice,
        *,
        clock: Clock | None = None,
        default_locale: str = "fr",
    ) -> None:
        self.sender = sender
        self.templates = templates
        self.clock = clock or SystemClock()
        self.default_locale = default_locale

    async def send(self, message: Outgoing, push: Push) -> Sent:
        async with self.sender.db.transaction() as uow:
            conversation = await uow.conversations.find(CHANNEL, message.chat_id)
        locale = conversation.locale if conversation is not None else self.default_locale
        to = message.chat_id
        # The outbox sender paces the row: its messages are sent back to back.
        if (
            not push.window_closed
            and conversation is not None
            and (self.clock.now() - conversation.updated_at < WINDOW - WINDOW_MARGIN)
        ):
            try:
                payloads = tagged(await self.sender.payloads(message, locale), push)
                message_ref = await self.sender.send_payloads(to, payloads, paced=False)
                await self.sender.remember_numbers(message)
                return Sent(message_ref)
            except OutsideWindow:
                logger.info("WhatsApp finds the window closed for a %s push", push.kind)
        template = self.templates.for_push(push.kind, locale)
        if template is None:
            raise OutsideWindow(f"no template for a {push.kind!r} push outside the window")
        payloads = tagged([template_message(template, text_of(message))], push)
        return Sent(await self.sender.send_payloads(to, payloads, paced=False))


def tagged(payloads: list[Payload], push: Push) -> list[Payload]:
    """The part's last message carries the row and part it delivers: WhatsApp echoes it
    in the message's statuses (`biz_opaque_callback_data`), which then confirm the part
    even if this process dies before it records the send."""
    if not payloads or not push.row_id:
        return payloads
    data = callback_data(push.row_id, push.part, push.last_part)
    return [*payloads[:-1], {**payloads[-1], "biz_opaque_callback_data": data}]


def callback_data(row_id: int, part: int, last: bool) -> str:
    return f"{OUTBOX_TAG}{row_id}:{part}:{int(last)}"


def read_callback_data(data: str | None) -> tuple[int, int, bool] | None:
    """(row id, part, last) from a status's callback data, if it is ours."""
    if not data or not data.startswith(OUTBOX_TAG):
        return None
    fields = data.removeprefix(OUTBOX_TAG).split(":")
    if len(fields) != 3 or not all(field.isdigit() for field in fields):
        return None
    return int(fields[0]), int(fields[1]), fields[2] == "1"
