"""Logging for every `tachawor` command: nothing secret and nothing a citizen wrote reaches
a log, at any `LOG_LEVEL`.

Two mechanisms, because either alone leaks: third-party libraries log at their own
discretion (httpx logs every request URL, which holds the bot token; SQL drivers log the
parameters of every statement, which hold what citizens typed), so their loggers are held
at WARNING whatever the level; and what they still say (an error naming a URL, say) passes
a filter that blanks every configured secret. The project's own loggers follow
`LOG_LEVEL` and name updates by their ids, never by their content.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TextIO
from urllib.parse import quote

OWN_LOGGERS = ("bot", "handlers", "storage", "surveys")
THIRD_PARTY_LEVEL = logging.WARNING
REDACTED = "[secret]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class SecretsFilter(logging.Filter):
    """Blanks secrets out of a record's message and traceback before any handler writes it."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # As written and as a URL carries it; longest first, so a secret that contains
        # another is blanked whole.
        forms = {form for s in secrets if len(s) >= 4 for form in (s, quote(s, safe=""))}
        self._secrets = sorted(forms, key=len, reverse=True)

    def _blank(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        record.msg, record.args = self._blank(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._blank(record.exc_text)
        if record.stack_info:
            record.stack_info = self._blank(record.stack_info)
        return True


class ThirdPartyCap(logging.Filter):
    """Lets other libraries' records through from WARNING up only, whatever level their
    own loggers were given."""

    def filter(self, record: logging.LogRecord) -> bool:
        own = record.name.split(".")[0] in OWN_LOGGERS
        return own or record.levelno >= THIRD_PARTY_LEVEL


def configure_logging(level: str, secrets: Iterable[str], stream: TextIO | None = None) -> None:
    """Log to `stream` (stderr) at `level` for the project, WARNING for other libraries."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(ThirdPartyCap())
    handler.addFilter(SecretsFilter(secrets))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
