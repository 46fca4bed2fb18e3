"""The logs: other libraries are held at WARNING whatever LOG_LEVEL says, and every secret
is blanked out of messages and tracebacks alike."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator

import pytest

from bot.logs import REDACTED, configure_logging

TOKEN = "123456:AAH-very-secret-token"


@pytest.fixture
def configured_logs() -> Iterator[Callable[[], str]]:
    """Configures the logs as `tachawor` does; calling the result gives what was written.
    pytest's own handlers are put back afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    written = io.StringIO()
    configure_logging("DEBUG", [TOKEN, "pw-of-the-db"], written)
    yield written.getvalue
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved_handlers:
        root.addHandler(handler)
    root.setLevel(saved_level)


def test_other_libraries_are_held_at_warning(configured_logs):
    logging.getLogger("httpx").setLevel(logging.DEBUG)
    logging.getLogger("httpx").info("HTTP Request: POST /bot%s/getMe", TOKEN)
    logging.getLogger("aiosqlite").debug("executing %s with ('a citizen wrote this',)", "INSERT")
    logging.getLogger("handlers.conversation_core").debug("update 17 handled")
    written = configured_logs()
    assert "getMe" not in written and "a citizen wrote this" not in written
    assert "update 17 handled" in written


def test_secrets_are_blanked_in_messages_and_tracebacks(configured_logs):
    try:
        raise ConnectionError(f"cannot reach https://api.telegram.org/bot{TOKEN}/getUpdates")
    except ConnectionError:
        logging.getLogger("bot.telegram.runner").exception("polling failed")
    logging.getLogger("telegram.ext").warning("url http://x/bot%s", TOKEN.replace(":", "%3A"))
    logging.getLogger("bot.startup").warning("database postgresql://u:pw-of-the-db@h/db")
    written = configured_logs()
    assert "very-secret" not in written and "pw-of-the-db" not in written
    assert written.count(REDACTED) == 3
    assert "ConnectionError" in written
