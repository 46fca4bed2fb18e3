"""A broadcast to 200 WhatsApp citizens at Meta's rate limits, with `tachawor whatsapp`
killed (SIGKILL) at the very moment Meta accepts a message — before the bot reads the
answer or records anything — then started again: every citizen gets it exactly once, and
Meta's throughput and pair limits are never exceeded. The message in flight at the kill
is recognised by its delivery status (it names its outbox row), which the restarted bot
receives before the row's lease lets it send that row again."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from pathlib import Path

from handlers.clock import SystemClock
from handlers.staff.broadcasts import broadcast_message
from handlers.turns import CoreSettings
from storage.database import Database
from tests.e2e.conftest import free_port
from tests.e2e.fake_cloud_api import FakeCloudApi
from tests.e2e.whatsapp_bot import APP_SECRET, VERIFY_TOKEN
from tests.integration.test_cli import tachawor

CITIZENS = [f"2126610{n:05d}" for n in range(200)]
KILL_AT = 60  # the accepted message during which the bot dies
TEMPLATE = "tachawor_notice"
STARTUP_TIMEOUT = 120.0


async def citizens_and_a_broadcast(url: str) -> None:
    """Citizens who consented (none wrote lately: the broadcast goes as a template)."""
    db = Database(url)
    now = SystemClock().now()
    try:
        async with db.transaction() as uow:
            for wa_id in CITIZENS:
                await uow.citizens.register({
                    "channel": "whatsapp", "channel_user_id": wa_id, "chat_id": wa_id,
                    "language": "fr", "script": "Latn", "consent_at": now, "reachable": True,
                    "created_at": now, "last_seen_at": now,
                })  # fmt: skip
        async with db.transaction() as uow:
            await broadcast_message(uow, CoreSettings(), "Réunion publique samedi à 10 h.", now)
    finally:
        await db.close()


async def start(env: dict[str, str], meta: FakeCloudApi, port: int) -> asyncio.subprocess.Process:
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "whatsapp",
        env={**os.environ, "LOG_LEVEL": "WARNING", **env},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/whatsapp/webhook"
    deadline = asyncio.get_running_loop().time() + STARTUP_TIMEOUT
    while not await meta.verify_webhook(url, VERIFY_TOKEN):
        assert bot.returncode is None, await bot.stderr.read() if bot.stderr else ""
        assert asyncio.get_running_loop().time() < deadline, "tachawor whatsapp never listened"
        await asyncio.sleep(0.1)
    return bot


async def test_a_broadcast_killed_mid_send_reaches_everyone_exactly_once(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'tachawor.db'}"
    assert tachawor("db", "upgrade", "--db", url).returncode == 0
    await citizens_and_a_broadcast(url)
    port = free_port()
    async with FakeCloudApi(
        enforce_rates=True, webhook_retry_delay=0.5, webhook_max_attempts=240
    ) as meta:
        meta.add_template(TEMPLATE, "fr", body_params=1)
        meta.set_webhook(f"http://127.0.0.1:{port}/whatsapp/webhook", APP_SECRET)
        env = {
            "DATABASE_URL": url,
            "WHATSAPP_PHONE_NUMBER_ID": meta.phone_number_id,
            "WHATSAPP_ACCESS_TOKEN": meta.access_token,
            "WHATSAPP_APP_SECRET": APP_SECRET,
            "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
            "WHATSAPP_GRAPH_API_BASE_URL": meta.root_url,
            "WHATSAPP_API_VERSION": meta.api_version,
            "WHATSAPP_PORT": str(port),
            "WHATSAPP_TEMPLATES": f"broadcast={TEMPLATE}",
        }
        first = await start(env, meta, port)
        accepted = 0

        def kill_at_the_acceptance(event: str, _sent: object) -> None:
            nonlocal accepted
            if event == "accepted":
                accepted += 1
                if accepted == KILL_AT:
                    os.kill(first.pid, signal.SIGKILL)  # before Meta's answer leaves

        meta.listeners.append(kill_at_the_acceptance)
        assert await asyncio.wait_for(first.wait(), 60) == -signal.SIGKILL
        second = await start(env, meta, port)
        try:
            await meta.wait_for(
                lambda: all(meta.messages_to(wa_id) for wa_id in CITIZENS), 90, "everyone"
            )
            # Until the outbox is done: the dead sender's leases ended, so a row it had on
            # its way would have been sent again by now if nothing had confirmed it.
            while (await outbox_counts(url)).get("pending"):
                await asyncio.sleep(0.5)
            await asyncio.sleep(1.0)
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.wait_for(second.wait(), 30)
        received = Counter(sent.to for sent in meta.sent_messages)
        assert received == Counter(dict.fromkeys(CITIZENS, 1))
        assert all(sent.template == TEMPLATE for sent in meta.sent_messages)
        assert meta.rate_violations == []
    assert await outbox_counts(url) == {"sent": len(CITIZENS)}


async def outbox_counts(url: str) -> dict[str, int]:
    db = Database(url)
    try:
        async with db.transaction() as uow:
            return await uow.outbox.count_by_status()
    finally:
        await db.close()
