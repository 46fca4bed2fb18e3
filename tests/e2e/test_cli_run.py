"""`tachawor run` as an operator starts it: a real process, configured only through the
environment, holding a whole onboarding with a Bot API server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import pytest

from tests.e2e.citizens import Citizen
from tests.e2e.conftest import FRAMEWORKS
from tests.e2e.fake_bot_api import FakeBotApi

# A start-up (interpreter, imports, migrations of a new database, getMe) takes seconds, and
# far longer when the suite's other workers load the machine: the steps' own timeouts
# start once the bot polls.
STARTUP_TIMEOUT = 120.0


async def start_bot(
    fake: FakeBotApi, framework: str, database: Path, log_level: str = "WARNING"
) -> asyncio.subprocess.Process:
    """`tachawor run` started, once it polls the fake Bot API (it deletes any webhook
    first)."""
    started = len(fake.calls_to("deleteWebhook")) + 1
    bot = await _spawn_bot(fake, framework, database, log_level)
    try:
        await fake.wait_for_calls("deleteWebhook", started, timeout=STARTUP_TIMEOUT)
    except BaseException:
        bot.kill()
        await bot.wait()
        raise
    return bot


async def _spawn_bot(
    fake: FakeBotApi, framework: str, database: Path, log_level: str
) -> asyncio.subprocess.Process:
    environment = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.root_url,
        "BOT_FRAMEWORK": framework,
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "LOG_LEVEL": log_level,
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_tachawor_run_holds_an_onboarding(framework: str, tmp_path: Path):
    async with FakeBotApi() as fake:
        bot = await start_bot(fake, framework, tmp_path / "bot.db")
        try:
            citizen = Citizen(fake, user_id=5001)
            greeting = await citizen.says("salam, bghit n9dm chikaya")
            assert "mar7ba" in (greeting.text or "").lower()
            consent = await citizen.presses("Darija (latin)")
            assert "09-08" in (consent.text or "")
            asked = await citizen.presses("✅")
            assert "Chno bghiti tsifet l jama3a?" in (asked.text or ""), "the request survived"
            assert fake.my_commands(language_code="ar"), "command menus are registered"
        finally:
            bot.send_signal(signal.SIGINT)
            _, errors = await asyncio.wait_for(bot.communicate(), timeout=30)
        assert bot.returncode == 0, errors.decode()


@pytest.mark.parametrize("log_level", ["INFO", "DEBUG"])
@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_the_logs_hold_no_secret_and_nothing_a_citizen_wrote(
    framework: str, log_level: str, tmp_path: Path
):
    words = "salam, bghit n9dm chikaya 3la Zq7-Xw9"
    async with FakeBotApi() as fake:
        bot = await start_bot(fake, framework, tmp_path / "bot.db", log_level)
        try:
            citizen = Citizen(fake, user_id=5002)
            await citizen.says(words)
            await citizen.presses("Darija (latin)")
            await citizen.presses("✅")
            await citizen.says("Zq7-Xw9 mazal")
        finally:
            bot.send_signal(signal.SIGINT)
            _, errors = await asyncio.wait_for(bot.communicate(), timeout=30)
    log = errors.decode()
    assert bot.returncode == 0, log
    assert log.strip(), "the log is not empty: the check below means something"
    secret_part = fake.token.split(":", 1)[1]
    assert secret_part not in log
    assert "Zq7" not in log and "chikaya" not in log


async def read_until(stream: asyncio.StreamReader, words: str, timeout: float = 20) -> str:
    """What the process logged, up to the line holding `words`."""
    seen: list[str] = []
    async with asyncio.timeout(timeout):
        while line := (await stream.readline()).decode():
            seen.append(line)
            if words in line:
                return "".join(seen)
    raise AssertionError(f"never logged {words!r}: {''.join(seen)}")


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_an_unreachable_telegram_is_waited_for_with_a_clear_line(
    framework: str, tmp_path: Path
):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    environment = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456789:TEST-token",
                   "TELEGRAM_API_BASE_URL": closed, "BOT_FRAMEWORK": framework,
                   "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"}  # fmt: skip
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", env=environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        unreachable = f"Telegram is unreachable at {closed}"
        logged = await read_until(bot.stderr, unreachable, timeout=STARTUP_TIMEOUT)
        logged += await read_until(bot.stderr, "trying again")
    finally:
        bot.send_signal(signal.SIGINT)
        _, rest = await asyncio.wait_for(bot.communicate(), timeout=30)
    assert "Traceback" not in logged + rest.decode()


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_a_refused_token_stops_the_start_with_one_line(framework: str, tmp_path: Path):
    async with FakeBotApi() as fake:
        environment = {**os.environ, "TELEGRAM_BOT_TOKEN": "987654321:NOT-the-token",
                       "TELEGRAM_API_BASE_URL": fake.root_url, "BOT_FRAMEWORK": framework,
                       "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
                       "LOG_LEVEL": "WARNING"}  # fmt: skip
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", env=environment,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, errors = await asyncio.wait_for(bot.communicate(), timeout=60)
    lines = [line for line in errors.decode().splitlines() if "PSEUDONYM_KEY" not in line]
    assert bot.returncode == 2
    assert len(lines) == 1 and lines[0].startswith("tachawor: Telegram refused TELEGRAM_BOT_TOKEN")


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_an_update_acknowledged_is_never_lost_to_a_kill(framework: str, tmp_path: Path):
    """kill -9 at the very moment getUpdates acknowledges a citizen's message: it is
    already stored, and the restarted bot answers it."""
    async with FakeBotApi() as fake:
        for attempt in range(2):
            bot = await start_bot(fake, framework, tmp_path / "bot.db")  # polls next
            try:
                user = 7000 + attempt
                update_id = fake.user_sends_text(user, "salam")

                def kill_at_the_acknowledgement(offset: int, bot=bot, update_id=update_id) -> None:
                    if offset > update_id and bot.returncode is None:
                        bot.kill()  # SIGKILL: nothing of the bot runs after this

                fake.on_confirm = kill_at_the_acknowledgement
                await asyncio.wait_for(bot.wait(), timeout=30)
                assert bot.returncode == -signal.SIGKILL
            finally:
                fake.on_confirm = None
                if bot.returncode is None:
                    bot.kill()
                await bot.wait()
            restarted = await start_bot(fake, framework, tmp_path / "bot.db")  # up again
            try:
                [greeting] = await fake.wait_for_messages(user, 1, timeout=30)
                assert "mar7ba" in (greeting.text or "").lower()
            finally:
                restarted.send_signal(signal.SIGINT)
                await asyncio.wait_for(restarted.communicate(), timeout=30)
