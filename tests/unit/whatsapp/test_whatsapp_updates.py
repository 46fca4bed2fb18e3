"""WhatsApp webhook bodies read as the core's `Incoming` (one per message, keyed by its
wamid) and as delivery statuses; what the core cannot use is `Unreadable`."""

from __future__ import annotations

import pytest

from bot.whatsapp.updates import CHANNEL, read_events
from handlers.types import ButtonPress, Command, Location, Media, Text, Unreadable


def body(*messages, statuses=()):
    value = {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "1"},
             "messages": list(messages), "statuses": list(statuses)}  # fmt: skip
    change = {"field": "messages", "value": value}
    return {"object": "whatsapp_business_account", "entry": [{"id": "w", "changes": [change]}]}


def message(kind, content, *, sender="212600000001", wamid="wamid.A1"):
    return {"from": sender, "id": wamid, "timestamp": "1767225600", "type": kind, kind: content}


@pytest.mark.parametrize(
    ("kind", "content", "payload"),
    [
        ("text", {"body": "salam, bghit n9dm chikaya"}, Text("salam, bghit n9dm chikaya")),
        ("text", {"body": "/Help now"}, Command("help", "now")),
        ("interactive", {"type": "button_reply", "button_reply": {"id": "3f.1", "title": "Oui"}},
         ButtonPress("3f.1")),
        ("interactive", {"type": "list_reply", "list_reply": {"id": "3f.7", "title": "Déchets"}},
         ButtonPress("3f.7")),
        ("button", {"payload": "r.rate.5", "text": "★★★★★"}, ButtonPress("r.rate.5")),
        ("location", {"latitude": 30.47, "longitude": -8.877, "name": "Bab"},
         Location(30.47, -8.877)),
        ("image", {"id": "m1", "mime_type": "image/jpeg", "caption": "zbel"},
         Media("photo", "m1", mime_type="image/jpeg", caption="zbel")),
        ("audio", {"id": "m2", "mime_type": "audio/ogg; codecs=opus", "voice": True},
         Media("voice", "m2", mime_type="audio/ogg")),
        ("audio", {"id": "m3", "mime_type": "audio/mpeg"},
         Media("audio", "m3", mime_type="audio/mpeg")),
        ("document", {"id": "m4", "mime_type": "application/pdf", "filename": "plan.pdf"},
         Media("document", "m4", mime_type="application/pdf", file_name="plan.pdf")),
        ("contacts", [{"name": {"formatted_name": "Amina"}, "phones": [{"phone": "+212 600"}]}],
         Text("Amina +212 600")),
        ("reaction", {"message_id": "wamid.X", "emoji": "👍"}, Unreadable("reaction")),
        ("unsupported", {}, Unreadable("unsupported")),
        ("location", {"latitude": "north"}, Unreadable("location")),
    ],
)  # fmt: skip
def test_each_kind_of_message(kind, content, payload):
    [incoming] = read_events(body(message(kind, content))).messages
    assert incoming.payload == payload
    assert (incoming.channel, incoming.user_id, incoming.chat_id) == (
        CHANNEL, "212600000001", "212600000001"
    )  # fmt: skip
    assert incoming.update_id == "wamid.A1"


def test_statuses_come_with_their_error_codes():
    events = read_events(body(statuses=[
        {"id": "wamid.S", "status": "delivered", "timestamp": "1767225601", "recipient_id": "2126"},
        {"id": "wamid.T", "status": "failed", "timestamp": "1767225602", "recipient_id": "2126",
         "errors": [{"code": 131047, "title": "Re-engagement message"}]},
    ]))  # fmt: skip
    assert [(s.message_ref, s.status, s.error_codes) for s in events.statuses] == [
        ("wamid.S", "delivered", ()),
        ("wamid.T", "failed", (131047,)),
    ]
    assert events.messages == []


def test_what_is_not_a_message_event_is_left_out():
    assert read_events({"object": "page", "entry": []}).messages == []
    other_field = {"object": "whatsapp_business_account",
                   "entry": [{"changes": [{"field": "account_update", "value": {}}]}]}  # fmt: skip
    assert read_events(other_field).messages == []
    assert read_events(body({"type": "text", "text": {"body": "no sender"}})).messages == []
