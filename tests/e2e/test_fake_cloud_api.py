"""The fake WhatsApp Cloud API: strict about what Graph refuses, signed at-least-once webhooks,
the 24-hour window, throughput limits, failure injection and media behind the token."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tests.e2e.fake_cloud_api import DAY, FakeCloudApi, ThroughputLimits, WebhookEvent

APP_SECRET = "app-secret-for-tests"
VERIFY_TOKEN = "verify-me"
CITIZEN = "212600000001"
OTHER = "212600000002"

Json = dict[str, Any]


# --- a tiny webhook receiver ------------------------------------------------------------
@dataclass
class Receiver:
    """Checks every signature itself and answers the queued statuses (then 200)."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    signatures: list[str] = field(default_factory=list)
    bad_signatures: int = 0

    async def handle(self, request: web.Request) -> web.Response:
        """Verify X-Hub-Signature-256 over the raw bytes, keep the body, answer."""
        raw = await request.read()
        header = request.headers.get("X-Hub-Signature-256", "")
        expected = "sha256=" + hmac.new(APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(header, expected):
            self.bad_signatures += 1
        self.bodies.append(raw)
        self.signatures.append(header)
        if self.delays:
            await asyncio.sleep(self.delays.pop(0))
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)

    async def verify(self, request: web.Request) -> web.Response:
        """Meta's GET handshake, done right."""
        query = request.query
        if query.get("hub.mode") == "subscribe" and query.get("hub.verify_token") == VERIFY_TOKEN:
            return web.Response(text=query.get("hub.challenge", ""))
        return web.Response(status=403)

    @property
    def payloads(self) -> list[Json]:
        """Decoded bodies."""
        return [json.loads(body) for body in self.bodies]

    def values(self, key: str) -> list[Json]:
        """`messages[]` or `statuses[]` items received, in order."""
        found = []
        for payload in self.payloads:
            value = payload["entry"][0]["changes"][0]["value"]
            found.extend(value.get(key, []))
        return found


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A started webhook receiver on 127.0.0.1."""
    receiver = Receiver()
    app = web.Application()
    app.router.add_post("/whatsapp/webhook", receiver.handle)
    app.router.add_get("/whatsapp/webhook", receiver.verify)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    receiver.url = f"http://127.0.0.1:{sock.getsockname()[1]}/whatsapp/webhook"
    yield receiver
    await runner.cleanup()


class Clock:
    """A manual clock."""

    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def api(receiver: Receiver, clock: Clock) -> AsyncIterator[FakeCloudApi]:
    """A started fake delivering to the receiver; the citizen has just written."""
    async with FakeCloudApi(clock=clock, status_delay=0.0, webhook_retry_delay=0.01) as fake:
        fake.add_template("rappel_reclamation", "fr", body="Votre réclamation {{1}} : {{2}}")
        fake.set_webhook(receiver.url, APP_SECRET)
        fake.user_sends_text(CITIZEN, "Salam", profile_name="Amina")
        yield fake


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def post(
    http: aiohttp.ClientSession, api: FakeCloudApi, body: Any, token: str | None = ""
) -> tuple[int, Json]:
    """POST a body to /messages with the bearer token (None: no header)."""
    headers = {} if token is None else {"Authorization": f"Bearer {token or api.access_token}"}
    async with http.post(api.messages_url, json=body, headers=headers) as response:
        return response.status, await response.json()


def text(body: str, to: str = CITIZEN) -> Json:
    return {"messaging_product": "whatsapp", "to": to, "type": "text", "text": {"body": body}}


def buttons(*titles: str, body: str = "Choisissez", ids: list[str] | None = None) -> Json:
    items = [
        {"type": "reply", "reply": {"id": (ids or [])[i] if ids else f"b{i}", "title": t}}
        for i, t in enumerate(titles)
    ]
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": CITIZEN,
        "type": "interactive",
        "interactive": {"type": "button", "body": {"text": body}, "action": {"buttons": items}},
    }


def rows(count: int, prefix: str = "r") -> list[Json]:
    return [{"id": f"{prefix}{i}", "title": f"Choix {prefix}{i}"} for i in range(count)]


def a_list(*sections: Json, body: str = "Quel quartier ?", label: str = "Voir") -> Json:
    return {
        "messaging_product": "whatsapp",
        "to": CITIZEN,
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": body},
            "action": {"button": label, "sections": list(sections)},
        },
    }


def template(name: str = "rappel_reclamation", lang: str = "fr", *params: str) -> Json:
    components = [{"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}]
    return {
        "messaging_product": "whatsapp",
        "to": CITIZEN,
        "type": "template",
        "template": {"name": name, "language": {"code": lang}, "components": components},
    }


def event_of(api: FakeCloudApi, wamid: str, kind: str = "status") -> list[WebhookEvent]:
    return [e for e in api.events if e.kind == kind and wamid in e.ids]


# --- sends ------------------------------------------------------------------------------
async def test_text_send_answers_a_wamid_and_is_recorded(
    api: FakeCloudApi, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    status, body = await post(http, api, text("Marhba"))
    assert status == 200
    wamid = body["messages"][0]["id"]
    assert body == {
        "messaging_product": "whatsapp",
        "contacts": [{"input": CITIZEN, "wa_id": CITIZEN}],
        "messages": [{"id": wamid}],
    }
    assert wamid.startswith("wamid.")
    _, second = await post(http, api, text("Marhba"))
    assert second["messages"][0]["id"] != wamid
    assert api.send_calls[0].payload == text("Marhba") and api.send_calls[0].wamid == wamid
    assert api.seen_by(CITIZEN) == ["Marhba", "Marhba"]
    assert api.transcript(CITIZEN) == ["user: Salam", "business: Marhba", "business: Marhba"]
    await api.wait_for_status(wamid, "delivered")
    assert api.message(wamid).statuses == ["sent", "delivered"]


async def test_token_phone_number_and_version_are_checked(
    api: FakeCloudApi, http: aiohttp.ClientSession
) -> None:
    for token in (None, "wrong"):
        status, body = await post(http, api, text("x"), token=token)
        assert (status, body["error"]["code"], body["error"]["type"]) == (
            401,
            190,
            "OAuthException",
        )
        assert body["error"]["fbtrace_id"]
    headers = {"Authorization": f"Bearer {api.access_token}"}
    url = f"{api.graph_url}/999999/messages"
    async with http.post(url, json=text("x"), headers=headers) as response:
        assert response.status == 400
        assert (await response.json())["error"]["code"] == 100
    async with http.post(f"{api.root_url}/latest/{api.phone_number_id}/messages") as response:
        assert (response.status, (await response.json())["error"]["code"]) == (400, 2500)
    async with http.post(api.messages_url, data="to=1", headers=headers) as response:
        assert (await response.json())["error"]["code"] == 100
    assert api.messages_to(CITIZEN) == []


def _with(body: Json, path: str, value: Any) -> Json:
    """A deep copy of body with `a.b.0.c` set (value `...` deletes it)."""
    copy = json.loads(json.dumps(body))
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    node: Any = copy
    for part in parents:
        node = node[part]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return copy


REFUSED = [
    ("no product", _with(text("x"), "messaging_product", ...), 100, "messaging_product"),
    ("sms", _with(text("x"), "messaging_product", "sms"), 100, "messaging_product"),
    ("plus in to", _with(text("x"), "to", "+212600000001"), 100, "to"),
    ("numeric to", _with(text("x"), "to", 212600000001), 100, "to"),
    ("group", _with(text("x"), "recipient_type", "group"), 100, "recipient_type"),
    ("poll", _with(text("x"), "type", "poll"), 100, "type"),
    ("no text object", _with(text("x"), "text", ...), 100, "text"),
    ("empty text", text(""), 131009, "text['body']"),
    ("4097 text", text("a" * 4097), 131009, "text['body']"),
    ("typo key", _with(text("x"), "text.bdy", "x"), 100, "bdy"),
    ("preview str", _with(text("x"), "text.preview_url", "yes"), 100, "preview_url"),
    ("wrong object", {**text("x"), "interactive": {}}, 100, "interactive"),
    ("no body", _with(buttons("Oui"), "interactive.body", ...), 100, "interactive['body']"),
    ("1025 body", buttons("Oui", body="a" * 1025), 131009, "interactive['body']['text']"),
    (
        "61 header",
        _with(buttons("Oui"), "interactive.header", {"type": "text", "text": "h" * 61}),
        131009,
        "interactive['header']['text']",
    ),
    (
        "61 footer",
        _with(buttons("Oui"), "interactive.footer", {"text": "f" * 61}),
        131009,
        "interactive['footer']['text']",
    ),
    ("no buttons", buttons(), 131009, "interactive['action']['buttons']"),
    ("4 buttons", buttons("A", "B", "C", "D"), 131009, "interactive['action']['buttons']"),
    ("21 title", buttons("t" * 21), 131009, "['reply']['title']"),
    ("empty title", buttons(" "), 131009, "['reply']['title']"),
    ("257 id", buttons("Oui", ids=["i" * 257]), 131009, "['reply']['id']"),
    ("same ids", buttons("Oui", "Non", ids=["x", "x"]), 131009, "button ids"),
    ("same titles", buttons("Oui", "Oui"), 131009, "button titles"),
    (
        "url button",
        _with(buttons("Oui"), "interactive.action.buttons.0.type", "url"),
        131009,
        "['buttons'][0]['type']",
    ),
    ("4097 list body", a_list({"rows": rows(1)}, body="a" * 4097), 131009, "['body']['text']"),
    ("21 menu label", a_list({"rows": rows(1)}, label="l" * 21), 131009, "['action']['button']"),
    (
        "no menu label",
        _with(a_list({"rows": rows(1)}), "interactive.action.button", ...),
        100,
        "['action']['button']",
    ),
    ("no sections", a_list(), 131009, "['action']['sections']"),
    (
        "11 sections",
        a_list(*[{"title": f"S{i}", "rows": rows(1, f"s{i}-")} for i in range(11)]),
        131009,
        "['action']['sections']",
    ),
    (
        "11 rows in all",
        a_list({"title": "A", "rows": rows(6, "a")}, {"title": "B", "rows": rows(5, "b")}),
        131009,
        "10 allowed",
    ),
    (
        "untitled section of two",
        a_list({"rows": rows(1, "a")}, {"title": "B", "rows": rows(1, "b")}),
        100,
        "['sections'][0]['title']",
    ),
    ("25 section title", a_list({"title": "s" * 25, "rows": rows(1)}), 131009, "['title']"),
    ("empty section", a_list({"title": "A", "rows": []}), 131009, "['sections'][0]['rows']"),
    (
        "25 row title",
        a_list({"rows": [{"id": "r", "title": "t" * 25}]}),
        131009,
        "['rows'][0]['title']",
    ),
    ("201 row id", a_list({"rows": [{"id": "i" * 201, "title": "t"}]}), 131009, "['id']"),
    (
        "73 description",
        a_list({"rows": [{"id": "r", "title": "t", "description": "d" * 73}]}),
        131009,
        "['description']",
    ),
    (
        "same row ids",
        a_list({"title": "A", "rows": rows(1)}, {"title": "B", "rows": rows(1)}),
        131009,
        "row ids",
    ),
    (
        "image list header",
        _with(
            a_list({"rows": rows(1)}),
            "interactive.header",
            {"type": "image", "image": {"link": "https://x/y.png"}},
        ),
        100,
        "interactive['header']['type']",
    ),
    ("unknown template", template("inconnu", "fr", "1", "2"), 132001, "inconnu"),
    ("other language", template("rappel_reclamation", "ar", "1", "2"), 132001, "ar"),
    ("one parameter", template("rappel_reclamation", "fr", "1"), 132000, "body"),
    ("new line", template("rappel_reclamation", "fr", "1", "a\nb"), 132018, "new-line"),
    (
        "unknown media",
        {"messaging_product": "whatsapp", "to": CITIZEN, "type": "image", "image": {"id": "1"}},
        131009,
        "image['id']",
    ),
    (
        "id and link",
        {
            "messaging_product": "whatsapp",
            "to": CITIZEN,
            "type": "image",
            "image": {"id": "1", "link": "https://x/y.jpg"},
        },
        100,
        "image",
    ),
    (
        "caption on audio",
        {
            "messaging_product": "whatsapp",
            "to": CITIZEN,
            "type": "audio",
            "audio": {"link": "https://x/y.ogg", "caption": "c"},
        },
        100,
        "caption",
    ),
    (
        "latitude 91",
        {
            "messaging_product": "whatsapp",
            "to": CITIZEN,
            "type": "location",
            "location": {"latitude": 91, "longitude": -7.6},
        },
        131009,
        "location['latitude']",
    ),
]


@pytest.mark.parametrize(
    ("body", "code", "names"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
async def test_what_graph_refuses_is_refused_naming_the_field(
    api: FakeCloudApi, http: aiohttp.ClientSession, body: Json, code: int, names: str
) -> None:
    status, answer = await post(http, api, body)
    error = answer["error"]
    assert (status, error["code"]) == (400, code), error
    assert names in error["message"] + error.get("error_data", {}).get("details", "")
    assert api.messages_to(CITIZEN) == []
    assert api.send_calls[-1].error_code == code


async def test_the_largest_valid_messages_pass(
    api: FakeCloudApi, http: aiohttp.ClientSession
) -> None:
    three = buttons("a" * 20, "b" * 20, "c" * 20, body="x" * 1024, ids=["i" * 256, "j", "k"])
    three["interactive"]["header"] = {"type": "text", "text": "h" * 60}
    three["interactive"]["footer"] = {"text": "f" * 60}
    ten = a_list(
        {"title": "s" * 24, "rows": rows(9, "a")},
        {"title": "B", "rows": [{"id": "i" * 200, "title": "t" * 24, "description": "d" * 72}]},
        body="x" * 4096,
        label="l" * 20,
    )
    untitled = a_list({"rows": rows(1)})
    rendered = template("rappel_reclamation", "fr", "R-12", "traitée")
    for body in (text("a" * 4096), three, ten, untitled, rendered):
        status, answer = await post(http, api, body)
        assert status == 200, answer
    assert answer["messages"][0]["message_status"] == "accepted"
    sent = api.messages_to(CITIZEN)
    assert sent[1].button_titles == ["a" * 20, "b" * 20, "c" * 20]
    assert len(sent[2].rows) == 10 and sent[2].rows[-1][2] == "d" * 72
    assert (sent[4].template, sent[4].text) == (
        "rappel_reclamation",
        "Votre réclamation R-12 : traitée",
    )


# --- webhooks ---------------------------------------------------------------------------
async def test_inbound_message_webhook_is_signed_and_shaped_like_meta(
    api: FakeCloudApi, receiver: Receiver
) -> None:
    await api.wait_for_deliveries(1)
    assert receiver.bad_signatures == 0 and receiver.signatures[0].startswith("sha256=")
    payload = receiver.payloads[0]
    assert payload["object"] == "whatsapp_business_account"
    entry = payload["entry"][0]
    assert entry["id"] == api.config.waba_id
    change = entry["changes"][0]
    assert change["field"] == "messages"
    value = change["value"]
    assert value["metadata"] == {
        "display_phone_number": api.display_phone_number,
        "phone_number_id": api.phone_number_id,
    }
    assert value["contacts"] == [{"profile": {"name": "Amina"}, "wa_id": CITIZEN}]
    message = value["messages"][0]
    assert message == {
        "from": CITIZEN,
        "id": message["id"],
        "timestamp": str(int(api.now())),
        "type": "text",
        "text": {"body": "Salam"},
    }


async def test_signature_covers_the_exact_bytes_escaped_like_meta(
    api: FakeCloudApi, receiver: Receiver
) -> None:
    api.user_sends_text(CITIZEN, "Ça marche / شكرا")
    await api.wait_for_deliveries(2)
    raw = receiver.bodies[1]
    assert b"\\u00c7a marche \\/ \\u0634" in raw  # re-serialising would break the HMAC
    assert json.loads(raw)["entry"][0]["changes"][0]["value"]["messages"][0]["text"] == {
        "body": "Ça marche / شكرا"
    }
    assert receiver.bad_signatures == 0


async def test_wrong_app_secret_is_detected_by_the_receiver(
    api: FakeCloudApi, receiver: Receiver
) -> None:
    await api.wait_for_deliveries(1)
    api.set_webhook(receiver.url, "another-secret")
    api.user_sends_text(CITIZEN, "encore")
    await api.wait_for_deliveries(2)
    assert receiver.bad_signatures == 1


async def test_webhook_answered_500_is_retried_with_the_same_bytes(
    api: FakeCloudApi, receiver: Receiver
) -> None:
    await api.wait_for_deliveries(1)
    receiver.statuses = [500, 503]
    wamid = api.user_sends_text(CITIZEN, "Allo")
    await api.wait_for_deliveries(4)
    attempts = api.deliveries[1:]
    assert [(d.attempt, d.status, d.ok) for d in attempts] == [
        (1, 500, False),
        (2, 503, False),
        (3, 200, True),
    ]
    assert len({d.event_id for d in attempts}) == 1
    assert receiver.bodies[1] == receiver.bodies[2] == receiver.bodies[3]
    assert [m["id"] for m in receiver.values("messages")] == [
        receiver.values("messages")[0]["id"]
    ] + [wamid] * 3


async def test_webhook_timeout_is_retried_and_gives_up_after_max_attempts(
    receiver: Receiver,
) -> None:
    async with FakeCloudApi(
        webhook_timeout=0.2, webhook_retry_delay=0.01, webhook_max_attempts=3
    ) as api:
        api.set_webhook(receiver.url, APP_SECRET)
        receiver.delays = [1.0]
        api.user_sends_text(CITIZEN, "lent")
        await api.wait_for_deliveries(2)
        assert [(d.status, d.error) for d in api.deliveries] == [(None, "timeout"), (200, None)]
        receiver.statuses = [500, 500, 500]
        api.user_sends_text(CITIZEN, "perdu")
        api.user_sends_text(CITIZEN, "après")
        await api.wait_for_deliveries(6)
        assert [d.status for d in api.deliveries[2:]] == [500, 500, 500, 200]
        assert [e.ids for e in api.dropped_events] == [[api.events[1].ids[0]]]


async def test_forced_duplicate_delivers_the_same_message_id(
    api: FakeCloudApi, receiver: Receiver
) -> None:
    wamid = api.user_sends_text(CITIZEN, "une fois")
    await api.wait_for_deliveries(2)
    api.redeliver(wamid)
    await api.wait_for_deliveries(3)
    assert [m["id"] for m in receiver.values("messages")[1:]] == [wamid, wamid]
    assert receiver.bodies[1] == receiver.bodies[2]
    assert receiver.signatures[1] == receiver.signatures[2]


async def test_events_wait_for_a_webhook(receiver: Receiver) -> None:
    async with FakeCloudApi() as api:
        api.user_sends_text(CITIZEN, "tôt")
        await asyncio.sleep(0.05)
        assert len(api.pending_events) == 1 and api.deliveries == []
        api.set_webhook(receiver.url, APP_SECRET)
        await api.wait_for_deliveries(1)
        assert api.pending_events == []


async def test_verify_webhook_handshake(api: FakeCloudApi, receiver: Receiver) -> None:
    assert await api.verify_webhook(receiver.url, VERIFY_TOKEN)
    assert not await api.verify_webhook(receiver.url, "wrong-token")
    assert not await api.verify_webhook("http://127.0.0.1:9/nothing", VERIFY_TOKEN)
    first = api.verifications[0]
    assert (first.status, first.body) == (200, first.challenge)
    assert api.verifications[1].status == 403


# --- statuses and the 24-hour window ------------------------------------------------------
async def test_free_form_after_24_hours_fails_with_131047_but_a_template_passes(
    api: FakeCloudApi, http: aiohttp.ClientSession, receiver: Receiver, clock: Clock
) -> None:
    _, inside = await post(http, api, text("Dans la fenêtre"))
    clock.now += DAY + 60
    status, late = await post(http, api, text("Le lendemain"))
    assert status == 200  # accepted synchronously…
    late_id = late["messages"][0]["id"]
    await api.wait_for_status(late_id, "failed")  # …then fails by webhook
    _, reminder = await post(http, api, template("rappel_reclamation", "fr", "R-1", "ok"))
    await api.wait_for_status(reminder["messages"][0]["id"], "delivered")
    await api.wait_until_delivered()
    statuses = {(s["id"], s["status"]): s for s in receiver.values("statuses")}
    failed = statuses[(late_id, "failed")]
    assert failed["recipient_id"] == CITIZEN
    assert [(e["code"], e["title"]) for e in failed["errors"]] == [
        (131047, "Re-engagement message")
    ]
    assert (late_id, "sent") not in statuses
    assert (inside["messages"][0]["id"], "delivered") in statuses
    assert statuses[(reminder["messages"][0]["id"], "sent")]["conversation"]["origin"] == {
        "type": "utility"
    }
    assert api.seen_by(CITIZEN) == ["Dans la fenêtre", "Votre réclamation R-1 : ok"]
    assert api.transcript(CITIZEN)[2] == "business ✗131047: Le lendemain"
    api.user_sends_text(CITIZEN, "Me revoilà")
    _, back = await post(http, api, text("Bon retour"))
    await api.wait_for_status(back["messages"][0]["id"], "delivered")


async def test_a_citizen_who_never_wrote_gets_only_templates(
    api: FakeCloudApi, http: aiohttp.ClientSession
) -> None:
    _, free = await post(http, api, text("Bonjour", to=OTHER))
    await api.wait_for_status(free["messages"][0]["id"], "failed")
    assert api.message(free["messages"][0]["id"]).error_code == 131047
    body = template("rappel_reclamation", "fr", "R-2", "reçue")
    _, sent = await post(http, api, {**body, "to": OTHER})
    await api.wait_for_status(sent["messages"][0]["id"], "delivered")


async def test_window_is_configurable_and_advance_clock_moves_it(
    api: FakeCloudApi, http: aiohttp.ClientSession
) -> None:
    api.config.window_seconds = 60
    api.advance_clock(61)
    assert not api.window_open(CITIZEN)
    _, body = await post(http, api, text("trop tard"))
    await api.wait_for_status(body["messages"][0]["id"], "failed")


async def test_user_reads_sends_read_statuses(
    api: FakeCloudApi, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    _, body = await post(http, api, text("Lu ?"))
    wamid = body["messages"][0]["id"]
    await api.wait_for_status(wamid, "delivered")
    assert api.user_reads(CITIZEN) == [wamid]
    assert api.user_reads(CITIZEN) == []
    await api.wait_until_delivered()
    assert [s["status"] for s in receiver.values("statuses")] == ["sent", "delivered", "read"]


async def test_mark_as_read_with_typing_indicator(
    api: FakeCloudApi, http: aiohttp.ClientSession
) -> None:
    inbound = next(iter(api.inbound))
    read = {"messaging_product": "whatsapp", "status": "read", "message_id": inbound}
    assert await post(http, api, {**read, "typing_indicator": {"type": "text"}}) == (
        200,
        {"success": True},
    )
    assert (api.read_receipts, api.typing_indicators) == ([inbound], [inbound])
    status, body = await post(http, api, {**read, "message_id": "wamid.unknown"})
    assert (status, body["error"]["code"]) == (400, 100)


# --- throughput ---------------------------------------------------------------------------
async def test_rate_limits_are_recorded_then_enforced(
    api: FakeCloudApi, http: aiohttp.ClientSession, clock: Clock
) -> None:
    api.user_sends_text(OTHER, "Salam")
    api.limits = ThroughputLimits(messages_per_second=3, pair_burst=1, pair_interval=6.0)
    await post(http, api, text("un"))
    await post(http, api, text("deux"))
    assert [v.kind for v in api.rate_violations] == ["pair"]
    api.enforce_rates = True
    api.limits = ThroughputLimits(messages_per_second=3, pair_burst=1, pair_interval=6.0)
    assert (await post(http, api, text("un")))[0] == 200
    status, body = await post(http, api, text("deux"))
    assert (status, body["error"]["code"]) == (400, 131056)
    assert (await post(http, api, text("à l'autre", to=OTHER)))[0] == 200
    clock.now += 6
    assert (await post(http, api, text("six secondes plus tard")))[0] == 200
    assert (await post(http, api, text("encore l'autre", to=OTHER)))[0] == 200
    assert (await post(http, api, text("un troisième", to="212600000003")))[0] == 200
    status, body = await post(http, api, text("quatrième en une seconde", to="212600000004"))
    assert (status, body["error"]["code"]) == (400, 130429)
    assert [v.kind for v in api.rate_violations] == ["pair", "pair", "throughput"]
    clock.now += 1
    assert (await post(http, api, text("la seconde suivante", to="212600000004")))[0] == 200


async def test_pair_burst_then_one_every_interval(
    api: FakeCloudApi, http: aiohttp.ClientSession, clock: Clock
) -> None:
    api.enforce_rates = True
    api.limits = ThroughputLimits(pair_burst=3, pair_interval=6.0, http_status=429)
    for n in range(3):
        assert (await post(http, api, text(f"rafale {n}")))[0] == 200
    status, body = await post(http, api, text("de trop"))
    assert (status, body["error"]["code"]) == (429, 131056)
    clock.now += 3
    assert (await post(http, api, text("trop tôt")))[0] == 429
    clock.now += 3
    assert (await post(http, api, text("6 s après")))[0] == 200


# --- failure injection --------------------------------------------------------------------
async def test_fail_next_answers_graph_errors_then_recovers(
    api: FakeCloudApi, http: aiohttp.ClientSession
) -> None:
    api.fail_next(131000, times=2)
    api.fail_next(131026, http_status=400)
    api.fail_next(2)
    assert [
        (s, b["error"]["code"]) for s, b in [await post(http, api, text("x")) for _ in range(4)]
    ] == [
        (500, 131000),
        (500, 131000),
        (400, 131026),
        (503, 2),
    ]
    assert (await post(http, api, text("enfin")))[0] == 200
    assert api.seen_by(CITIZEN) == ["enfin"]


async def test_drop_next_closes_the_connection(
    api: FakeCloudApi, http: aiohttp.ClientSession
) -> None:
    api.drop_next()
    with pytest.raises(aiohttp.ClientError):
        await post(http, api, text("coupé"))
    assert api.send_calls[-1].status == 0
    assert (await post(http, api, text("rétabli")))[0] == 200
    assert api.seen_by(CITIZEN) == ["rétabli"]
    api.drop_next(after_accept=True)
    with pytest.raises(aiohttp.ClientError):
        await post(http, api, text("envoyé quand même"))
    assert api.seen_by(CITIZEN) == ["rétabli", "envoyé quand même"]


async def test_async_failures_and_blocked_citizens_fail_by_webhook(
    api: FakeCloudApi, http: aiohttp.ClientSession
) -> None:
    api.fail_next_async(131049)
    _, first = await post(http, api, text("écosystème"))
    await api.wait_for_status(first["messages"][0]["id"], "failed")
    assert api.message(first["messages"][0]["id"]).error_code == 131049
    api.user_blocks(CITIZEN)
    for body in (text("bloqué"), template("rappel_reclamation", "fr", "R", "x")):
        status, answer = await post(http, api, body)
        assert status == 200
        await api.wait_for_status(answer["messages"][0]["id"], "failed")
        assert api.message(answer["messages"][0]["id"]).error_code == 131026
    api.user_unblocks(CITIZEN)
    _, last = await post(http, api, text("débloqué"))
    await api.wait_for_status(last["messages"][0]["id"], "delivered")
    assert api.seen_by(CITIZEN) == ["débloqué"]


# --- buttons and lists --------------------------------------------------------------------
async def test_pressing_a_button_the_business_sent(
    api: FakeCloudApi, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    _, body = await post(http, api, buttons("Oui", "Non", ids=["yes", "no"]))
    wamid = body["messages"][0]["id"]
    reply = api.user_presses_button(CITIZEN, "Non")
    await api.wait_until_delivered()
    message = next(m for m in receiver.values("messages") if m["id"] == reply)
    assert message["type"] == "interactive"
    assert message["interactive"] == {
        "type": "button_reply",
        "button_reply": {"id": "no", "title": "Non"},
    }
    assert message["context"] == {"from": api.display_phone_number, "id": wamid}
    with pytest.raises(ValueError, match=r"no button 'Peut-être'.*\['Oui', 'Non'\]"):
        api.user_presses_button(CITIZEN, "Peut-être")
    with pytest.raises(ValueError):
        api.user_presses_button(OTHER, "Oui")
    assert api.transcript(CITIZEN)[-1] == "user: [Non] (no)"


async def test_a_button_of_a_failed_message_cannot_be_pressed(
    api: FakeCloudApi, http: aiohttp.ClientSession
) -> None:
    api.advance_clock(DAY + 1)
    await post(http, api, buttons("Oui"))
    with pytest.raises(ValueError, match="sees no button"):
        api.user_presses_button(CITIZEN, "Oui")


async def test_picking_a_list_row(
    api: FakeCloudApi, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    row = {"id": "q-7", "title": "Hay Riad", "description": "Rabat"}
    _, body = await post(http, api, a_list({"rows": [row, {"id": "q-8", "title": "Agdal"}]}))
    reply = api.user_picks_from_list(CITIZEN, "Hay Riad")
    await api.wait_until_delivered()
    message = next(m for m in receiver.values("messages") if m["id"] == reply)
    assert message["interactive"] == {"type": "list_reply", "list_reply": row}
    assert message["context"]["id"] == body["messages"][0]["id"]
    with pytest.raises(ValueError, match="Agdal"):
        api.user_picks_from_list(CITIZEN, "Maarif")


# --- inbound shapes and media ---------------------------------------------------------------
async def test_inbound_shapes(api: FakeCloudApi) -> None:
    shapes = {
        api.user_sends_location(CITIZEN, 33.97, -6.85, name="Mairie", address="Av. X"): (
            "location",
            {"latitude": 33.97, "longitude": -6.85, "name": "Mairie", "address": "Av. X"},
        ),
        api.user_sends_contacts(
            CITIZEN, "Moha Ali", "+212 600 000 009", contact_wa_id="212600000009"
        ): (
            "contacts",
            [
                {
                    "name": {"formatted_name": "Moha Ali", "first_name": "Moha"},
                    "phones": [
                        {"phone": "+212 600 000 009", "type": "CELL", "wa_id": "212600000009"}
                    ],
                }
            ],
        ),
    }
    for wamid, (kind, content) in shapes.items():
        assert api.inbound[wamid]["type"] == kind and api.inbound[wamid][kind] == content
    voice = api.inbound[api.user_sends_voice(CITIZEN, data=b"OggS...")]
    assert voice["audio"]["voice"] is True
    assert voice["audio"]["mime_type"] == "audio/ogg; codecs=opus"
    document = api.inbound[api.user_sends_document(CITIZEN, filename="plan.pdf")]["document"]
    assert (document["filename"], document["mime_type"]) == ("plan.pdf", "application/pdf")
    unsupported = api.inbound[api.user_sends_unsupported(CITIZEN)]
    assert unsupported["type"] == "unsupported" and unsupported["errors"][0]["code"] == 131051
    sticker = api.inbound[api.user_sends_sticker(CITIZEN)]
    assert sticker["sticker"]["mime_type"] == "image/webp"
    image = api.inbound[api.user_sends_image(CITIZEN, caption="trou")]["image"]
    assert image["caption"] == "trou" and image["id"] in api.media


async def test_media_download_needs_the_token(
    api: FakeCloudApi, http: aiohttp.ClientSession, clock: Clock
) -> None:
    wamid = api.user_sends_image(CITIZEN, data=b"JPEG bytes", caption="trou")
    image = api.inbound[wamid]["image"]
    info_url = f"{api.graph_url}/{image['id']}"
    auth = {"Authorization": f"Bearer {api.access_token}"}
    async with http.get(info_url) as response:
        assert (response.status, (await response.json())["error"]["code"]) == (401, 190)
    async with http.get(info_url, headers=auth) as response:
        info = await response.json()
    assert info == {
        "messaging_product": "whatsapp",
        "url": info["url"],
        "mime_type": "image/jpeg",
        "sha256": image["sha256"],
        "file_size": 10,
        "id": image["id"],
    }
    assert info["url"].startswith(f"{api.root_url}/media-download/{image['id']}")
    async with http.get(info["url"]) as response:
        assert response.status == 401
    async with http.get(info["url"], headers=auth) as response:
        assert (response.status, await response.read()) == (200, b"JPEG bytes")
        assert response.headers["Content-Type"] == "image/jpeg"
    clock.now += 301
    async with http.get(info["url"], headers=auth) as response:
        assert response.status == 404  # the URL expired: ask for a fresh one
    async with http.get(f"{api.graph_url}/424242", headers=auth) as response:
        assert (response.status, (await response.json())["error"]["code"]) == (400, 100)


async def test_upload_then_send_by_media_id(api: FakeCloudApi, http: aiohttp.ClientSession) -> None:
    form = aiohttp.FormData()
    form.add_field("messaging_product", "whatsapp")
    form.add_field("file", b"\x89PNG chart", filename="chart.png", content_type="image/png")
    auth = {"Authorization": f"Bearer {api.access_token}"}
    url = f"{api.graph_url}/{api.phone_number_id}/media"
    async with http.post(url, data=form, headers=auth) as response:
        media_id = (await response.json())["id"]
    assert api.media_bytes(media_id) == b"\x89PNG chart"
    image = {"id": media_id, "caption": "Résultats"}
    body = {"messaging_product": "whatsapp", "to": CITIZEN, "type": "image", "image": image}
    assert (await post(http, api, body))[0] == 200
    assert api.transcript(CITIZEN)[-1] == f"business: [image {media_id}] Résultats"
    bad = aiohttp.FormData()
    bad.add_field("messaging_product", "whatsapp")
    bad.add_field("file", b"MZ", filename="x.exe", content_type="application/x-msdownload")
    async with http.post(url, data=bad, headers=auth) as response:
        assert (response.status, (await response.json())["error"]["code"]) == (400, 100)


# --- by hand ----------------------------------------------------------------------------------
async def test_command_line_fake(receiver: Receiver) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.e2e.fake_cloud_api",
        "--port",
        str(port),
        "--webhook",
        receiver.url,
        "--app-secret",
        APP_SECRET,
        "--verify-token",
        VERIFY_TOKEN,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        lines = [(await asyncio.wait_for(process.stdout.readline(), 10)).decode()]
        assert lines[0].strip() == f"Fake WhatsApp Cloud API on http://127.0.0.1:{port}"
        while "type help" not in lines[-1]:
            lines.append((await asyncio.wait_for(process.stdout.readline(), 10)).decode())
        assert any("handshake" in line and "ok" in line for line in lines)
        process.stdin.write(f"{CITIZEN} text Salam\n".encode())
        await process.stdin.drain()
        for _ in range(200):
            if receiver.values("messages"):
                break
            await asyncio.sleep(0.02)
        assert receiver.values("messages")[0]["text"] == {"body": "Salam"}
        assert receiver.bad_signatures == 0
        url = f"http://127.0.0.1:{port}/v21.0/109876543210987/messages"
        headers = {"Authorization": "Bearer EAAG-tachawor-test-access-token"}
        async with (
            aiohttp.ClientSession() as http,
            http.post(url, json=text("Merci"), headers=headers) as response,
        ):
            assert response.status == 200
        line = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
        assert line.strip() == f"→ {CITIZEN}: Merci"
        process.stdin.write(b"quit\n")
        await process.stdin.drain()
        assert await asyncio.wait_for(process.wait(), 10) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
