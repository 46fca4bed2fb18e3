"""End-to-end fixtures: the fake Bot API on 127.0.0.1, a real database (SQLite and
PostgreSQL, from tests/conftest.py), and the bot running through python-telegram-bot or
aiogram in the background, exactly as `tachawor run` / `tachawor webhook` run it."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.settings import Settings
from bot.telegram import RunOptions, run_polling, run_webhook
from handlers.conversation_core import ConversationCore
from storage.database import Database
from tests.e2e.fake_bot_api import FakeBotApi, WaitTimeout

FRAMEWORKS = ["ptb", "aiogram"]
WEBHOOK_SECRET = "e2e-secret_token"
# Messages to one chat unpaced: journeys run at the speed of the test (the pace itself has its
# own tests, with the limits Telegram enforces).
TEST_OPTIONS = RunOptions(
    poll_timeout=1.0,
    outbox_interval=0.25,
    handle_signals=False,
    chat_interval=0.0,
    group_interval=0.0,
)


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    """A fresh fake Telegram, started on a free 127.0.0.1 port."""
    async with FakeBotApi() as api:
        yield api


@pytest.fixture(params=FRAMEWORKS)
def framework(request: pytest.FixtureRequest) -> str:
    """Each journey runs through python-telegram-bot and through aiogram."""
    return str(request.param)


def free_port() -> int:
    """A TCP port nobody listens on right now, on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bot_settings(fake: FakeBotApi, framework: str, **overrides: Any) -> Settings:
    """The settings `tachawor run` would read, pointed at the fake server."""
    values: dict[str, Any] = {
        "telegram_bot_token": SecretStr(fake.token),
        "telegram_api_base_url": fake.root_url,
        "bot_framework": framework,
        "webhook_secret": SecretStr(WEBHOOK_SECRET),
        "webhook_listen": "127.0.0.1",
        "update_spool_path": str(Path(tempfile.gettempdir()) / f"spool-{uuid.uuid4().hex}.jsonl"),
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


@asynccontextmanager
async def running_bot(
    fake: FakeBotApi,
    framework: str,
    core: ConversationCore,
    db: Database,
    *,
    webhook: bool = False,
    options: RunOptions = TEST_OPTIONS,
    **settings: Any,
) -> AsyncIterator[Settings]:
    """The bot running in the background (polling, or a webhook on a free port); on exit
    it is cancelled, as a SIGTERM-less shutdown would do, and must clean up."""
    overrides: dict[str, Any] = dict(settings)
    if webhook:
        port = free_port()
        overrides |= {"webhook_port": port, "webhook_url": f"http://127.0.0.1:{port}/tg/hook"}
    running = bot_settings(fake, framework, **overrides)
    run = run_webhook if webhook else run_polling
    task = asyncio.create_task(run(running, core, db, options=options))
    try:
        # Polling: deleteWebhook comes right before the first getUpdates, which the fake only
        # records once answered (after its long poll).
        await _started(fake, task, "setWebhook" if webhook else "deleteWebhook")
        yield running
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 15)


async def _started(fake: FakeBotApi, task: asyncio.Task[None], method: str) -> None:
    """Wait until the bot listens (or report why it died)."""
    for _ in range(1000):
        if task.done():
            task.result()
            raise AssertionError("the bot stopped right after starting")
        if fake.calls_to(method):
            return
        await asyncio.sleep(0.01)
    raise WaitTimeout(f"the bot made no {method} call within 10 s")


@pytest.fixture
async def bot(
    fake: FakeBotApi, framework: str, core: ConversationCore, db: Database
) -> AsyncIterator[FakeBotApi]:
    """The fake Telegram with the bot polling it through `framework`."""
    async with running_bot(fake, framework, core, db):
        yield fake
