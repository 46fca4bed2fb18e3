"""A number typed in answer to a numbered list (WhatsApp shows more than 10 choices as
one) is the press of that list's button, while the list is still the conversation's
latest prompt; otherwise, or when the number is out of range, it stays text."""

from __future__ import annotations

from dataclasses import replace

from bot.whatsapp.updates import CHANNEL
from handlers.turns import is_current
from handlers.types import ButtonPress, Incoming, Text
from storage.unit_of_work import UnitOfWork
from surveys.numerals import read_whole


def is_a_number(incoming: Incoming) -> bool:
    payload = incoming.payload
    return isinstance(payload, Text) and read_whole(payload.text.strip()) is not None


async def typed_choice(uow: UnitOfWork, incoming: Incoming) -> Incoming:
    """`incoming`, or the button press its typed number stands for."""
    payload = incoming.payload
    if not isinstance(payload, Text) or read_whole(payload.text.strip()) is None:
        return incoming
    choices, version = await uow.conversations.typed_choices(CHANNEL, incoming.user_id)
    number = read_whole(payload.text.strip(), len(choices))
    if not number or not is_current(choices[number - 1], version):
        return incoming
    return replace(incoming, payload=ButtonPress(choices[number - 1]))
