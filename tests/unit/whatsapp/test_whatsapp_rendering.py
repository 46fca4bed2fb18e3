"""The core's messages within WhatsApp's limits: reply buttons up to 3, a list up to 10, a
numbered list beyond; titles shortened with the full labels in the body; texts split."""

from __future__ import annotations

from bot.whatsapp.rendering import render, split_text
from bot.whatsapp.signatures import is_signed, signature_of
from handlers.types import Button, Location, Outgoing, OutgoingMedia, PollRequest


def rows(*labels: str) -> tuple[tuple[Button, ...], ...]:
    return tuple((Button(f"b{n}", label),) for n, label in enumerate(labels))


def menu() -> str:
    return "Choisir"


def test_a_text_alone_is_a_text_split_at_4096():
    [short] = render(Outgoing("1", "Bonjour"), menu)
    assert short == {"type": "text", "text": {"body": "Bonjour"}}
    long = "\n".join(f"ligne {n} " + "x" * 90 for n in range(100))
    parts = render(Outgoing("1", long), menu)
    assert len(parts) == 3 and all(len(p["text"]["body"]) <= 4096 for p in parts)
    assert "\n".join(p["text"]["body"] for p in parts) == long


def test_up_to_three_buttons_are_reply_buttons():
    [shown] = render(Outgoing("1", "Vous acceptez ?", rows("✅ J'accepte", "❌ Non")), menu)
    interactive = shown["interactive"]
    assert interactive["type"] == "button"
    assert [b["reply"] for b in interactive["action"]["buttons"]] == [
        {"id": "b0", "title": "✅ J'accepte"},
        {"id": "b1", "title": "❌ Non"},
    ]
    assert interactive["body"]["text"] == "Vous acceptez ?"


def test_a_long_label_is_shortened_and_written_in_full_in_the_body():
    [shown] = render(Outgoing("1", "Où ?", rows("Éclairage public défaillant", "Voirie")), menu)
    titles = [b["reply"]["title"] for b in shown["interactive"]["action"]["buttons"]]
    assert all(len(title) <= 20 for title in titles)
    assert titles[0].endswith("…") and titles[1] == "Voirie"
    assert "• Éclairage public défaillant" in shown["interactive"]["body"]["text"]


def test_four_to_ten_buttons_are_a_list():
    labels = [f"Quartier {n}" for n in range(8)]
    [shown] = render(Outgoing("1", "Quel quartier ?", rows(*labels)), menu)
    interactive = shown["interactive"]
    assert interactive["type"] == "list" and interactive["action"]["button"] == "Choisir"
    [section] = interactive["action"]["sections"]
    assert [r["title"] for r in section["rows"]] == labels
    assert [r["id"] for r in section["rows"]] == [f"b{n}" for n in range(8)]


def test_more_than_ten_buttons_are_a_numbered_list():
    labels = [f"Choix {n}" for n in range(12)]
    [shown] = render(Outgoing("1", "Lequel ?", rows(*labels)), menu)
    assert shown["type"] == "text"
    assert "1. Choix 0" in shown["text"]["body"] and "12. Choix 11" in shown["text"]["body"]


def test_a_body_too_long_for_buttons_sends_its_start_as_text_first():
    text = "\n".join("x" * 200 for _ in range(8))
    *before, last = render(Outgoing("1", text, rows("Oui", "Non")), menu)
    assert before and all(p["type"] == "text" for p in before)
    assert len(last["interactive"]["body"]["text"]) <= 1024


def test_a_quick_poll_is_its_option_buttons():
    poll = PollRequest("Quel horaire ?", ("Matin", "Soir"), option_buttons=("p.1.0", "p.1.1"),
                       withdraw_button=Button("p.1.x", "Retirer mon vote"))  # fmt: skip
    [shown] = render(Outgoing("1", "", poll=poll), menu)
    assert shown["interactive"]["body"]["text"] == "Quel horaire ?"
    ids = [b["reply"]["id"] for b in shown["interactive"]["action"]["buttons"]]
    assert ids == ["p.1.0", "p.1.1", "p.1.x"]
    assert render(Outgoing("1", "", closes_poll="m1"), menu) == []


def test_media_and_places():
    photo, place = render(Outgoing("1", "Votre photo", media=OutgoingMedia("photo", "m9"),
                                   location=Location(30.4, -8.8)), menu)[:2]  # fmt: skip
    assert photo == {"type": "image", "image": {"id": "m9"}}
    assert place["location"] == {"latitude": 30.4, "longitude": -8.8}


def test_split_text_never_loses_a_character():
    text = "y" * 10_000
    parts = split_text(text)
    assert "".join(parts) == text and max(map(len, parts)) == 4096


def test_signatures():
    body = b'{"object":"whatsapp_business_account"}'
    header = signature_of("secret", body)
    assert is_signed("secret", body, header)
    assert not is_signed("secret", body + b" ", header)
    assert not is_signed("other", body, header)
    assert not is_signed("secret", body, None) and not is_signed("", body, header)
