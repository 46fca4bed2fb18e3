"""The WhatsApp webhook on 127.0.0.1, on SQLite and PostgreSQL: Meta's handshake, signed
POSTs only, every message in the inbox before the 200, a redelivered message handled once,
and the core's replies sent within WhatsApp's limits (to a recording Cloud API)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot.whatsapp.sending import WhatsAppSender
from bot.whatsapp.signatures import signature_of
from bot.whatsapp.webhook import WhatsAppWebhook
from storage.models import InboxUpdate

SECRET, VERIFY = "app-secret", "verify-me"
WA_ID = "212600000001"


class RecordingApi:
    """Takes every message as the Cloud API would and keeps it, to read back."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def send(self, to: str, message: Mapping[str, Any]) -> str:
        self.sent.append((to, dict(message)))
        return f"wamid.{len(self.sent)}"


@pytest.fixture
async def webhook(core, db) -> AsyncIterator[tuple[WhatsAppWebhook, RecordingApi, str]]:
    api = RecordingApi()
    hook = WhatsAppWebhook(core, WhatsAppSender(api, db), app_secret=SECRET, verify_token=VERIFY)
    port = await hook.start("127.0.0.1", 0)
    yield hook, api, f"http://127.0.0.1:{port}{hook.path}"
    await hook.stop()


def event(*messages: dict[str, Any]) -> bytes:
    contacts = [{"wa_id": WA_ID, "profile": {"name": "Amina"}}]
    value = {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "1"},
             "contacts": contacts, "messages": list(messages)}  # fmt: skip
    body = {"object": "whatsapp_business_account",
            "entry": [{"id": "w", "changes": [{"field": "messages", "value": value}]}]}  # fmt: skip
    return json.dumps(body).encode()


def text(body: str, wamid: str) -> dict[str, Any]:
    return {
        "from": WA_ID,
        "id": wamid,
        "timestamp": "1767225600",
        "type": "text",
        "text": {"body": body},
    }


async def post(url: str, body: bytes, signature: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as r,
    ):
        return r.status


async def test_the_handshake_echoes_the_challenge_for_the_right_token(webhook):
    _, _, url = webhook
    async with aiohttp.ClientSession() as session:
        good = {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"}
        async with session.get(url, params=good) as answer:
            assert (answer.status, await answer.text()) == (200, "1158201444")
        async with session.get(url, params={**good, "hub.verify_token": "guess"}) as answer:
            assert answer.status == 403


async def test_an_unsigned_or_forged_post_is_refused_and_nothing_is_stored(webhook, db):
    _, api, url = webhook
    body = event(text("Bonjour", "wamid.IN1"))
    assert await post(url, body, None) == 403
    assert await post(url, body, signature_of("another secret", body)) == 403
    assert await post(url, body + b" ", signature_of(SECRET, body)) == 403
    async with db.transaction() as uow:
        assert (await uow._session.execute(select(InboxUpdate))).first() is None
    assert api.sent == []


async def test_a_message_is_stored_answered_and_a_redelivery_handled_once(webhook, db):
    hook, api, url = webhook
    body = event(text("Bonjour", "wamid.IN1"))
    assert await post(url, body, signature_of(SECRET, body)) == 200
    await hook.wait_idle()
    first = list(api.sent)
    assert first and all(to == WA_ID for to, _ in first)
    kinds = [message["type"] for _, message in first]
    assert "interactive" in kinds, kinds  # the language choice, as buttons or a list
    assert await post(url, body, signature_of(SECRET, body)) == 200
    await hook.wait_idle()
    assert api.sent == first, "the same wamid again: handled once"
    async with db.transaction() as uow:
        rows = (await uow._session.execute(select(InboxUpdate))).scalars().all()
    assert [(r.channel, r.update_id) for r in rows] == [("whatsapp", "wamid.IN1")]


async def test_a_kind_of_message_the_bot_cannot_read_is_answered(webhook):
    hook, api, url = webhook
    reaction = {"from": WA_ID, "id": "wamid.R", "timestamp": "1767225600", "type": "reaction",
                "reaction": {"message_id": "wamid.1", "emoji": "👍"}}  # fmt: skip
    body = event(reaction)
    assert await post(url, body, signature_of(SECRET, body)) == 200
    await hook.wait_idle()
    assert api.sent, "a translated answer, not silence"


async def test_every_message_sent_is_within_the_limits(webhook):
    hook, api, url = webhook
    for number, typed in enumerate(("Bonjour", "1", "1", "1", "1"), start=1):
        body = event(text(typed, f"wamid.T{number}"))
        assert await post(url, body, signature_of(SECRET, body)) == 200
        await hook.wait_idle()
    for _, message in api.sent:
        if message["type"] == "text":
            assert 0 < len(message["text"]["body"]) <= 4096
        elif message["interactive"]["type"] == "button":
            buttons = message["interactive"]["action"]["buttons"]
            assert 1 <= len(buttons) <= 3
            assert all(len(b["reply"]["title"]) <= 20 for b in buttons)
            assert len(message["interactive"]["body"]["text"]) <= 1024
        else:
            [section] = message["interactive"]["action"]["sections"]
            assert len(section["rows"]) <= 10
            assert all(len(r["title"]) <= 24 for r in section["rows"])
            assert len(message["interactive"]["action"]["button"]) <= 20
