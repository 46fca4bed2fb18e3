"""Whole numbers as they reach the bot, read one way everywhere: typed by citizens (with
Western or Arabic-Indic digits: ٤ is 4, as Arabic keyboards type it) and carried back in
button ids and stored ids. Anything else — `²`, `½`, signs, spaces inside, a number
longer than a database integer holds — is not a number: the caller answers it as a wrong
input instead of failing on it."""

from __future__ import annotations

import re

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
WHOLE = re.compile(r"[0-9]{1,19}")
# The largest id SQLite and PostgreSQL (bigint) both hold.
MAX_ID = 2**63 - 1


def western_digits(text: str) -> str:
    """The text with Arabic-Indic digits written as Western ones, trimmed."""
    return text.translate(DIGITS).strip()


def read_whole(text: str, maximum: int = MAX_ID) -> int | None:
    """The whole number 0…`maximum` the text is, or None."""
    typed = western_digits(text)
    if not WHOLE.fullmatch(typed):
        return None
    number = int(typed)
    return number if number <= maximum else None


def read_position(text: str, count: int) -> int | None:
    """An index into a list of `count` items (a choice's position), or None."""
    return read_whole(text, count - 1) if count > 0 else None
