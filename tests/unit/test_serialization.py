import json

import pytest

from handlers.serialization import (
    outgoing_from_dict,
    outgoing_to_dict,
    payload_from_dict,
    payload_to_dict,
)
from handlers.types import (
    Button,
    ButtonPress,
    Command,
    Location,
    Media,
    Outgoing,
    OutgoingMedia,
    PollAnswer,
    PollRequest,
    Reachability,
    Text,
)


@pytest.mark.parametrize(
    "payload",
    [
        Text("واش كاين شي جديد؟"),
        Command("start", "ref"),
        ButtonPress("3.m:about"),
        Location(30.47, -8.87),
        Media("photo", "AgAD", "image/jpeg", 1024, None, "caption"),
        PollAnswer("p1", (0, 2)),
        Reachability(False),
    ],
)
def test_payloads_survive_the_inbox(payload):
    stored = json.loads(json.dumps(payload_to_dict(payload)))
    assert payload_from_dict(stored) == payload


def test_outgoing_survives_the_outbox():
    message = Outgoing(
        "42",
        "نص",
        ((Button("1.a", "A"), Button("1.b", "B")),),
        media=OutgoingMedia("photo", "file"),
        location=Location(1.0, 2.0),
        poll=PollRequest("q?", ("x", "y"), True, ref="7", option_buttons=("p.7.0", "p.7.1")),
        rtl=True,
    )
    stored = json.loads(json.dumps(outgoing_to_dict(message)))
    assert outgoing_from_dict(stored) == message


def test_the_closing_of_a_poll_survives_the_outbox():
    message = Outgoing("42", "", closes_poll="901")
    assert outgoing_from_dict(json.loads(json.dumps(outgoing_to_dict(message)))) == message


def test_a_poll_queued_before_polls_had_references_still_reads():
    stored = outgoing_to_dict(Outgoing("42", "", poll=PollRequest("q?", ("x", "y"))))
    del stored["poll"]["ref"], stored["poll"]["option_buttons"]
    assert outgoing_from_dict(stored).poll == PollRequest("q?", ("x", "y"))
