"""Complaint tracking numbers such as `TRD-26-7K3Q9`: the commune's prefix, the year, and five
characters a citizen can read aloud or copy without confusion.

The five characters are four random ones (from `secrets`: not sequential, not guessable)
and a check character (Luhn mod 30), which catches any single mistyped character and most
swapped neighbours. The alphabet leaves out look-alikes: no 0/O, 1/I/L, and no U (read as
V). What citizens type is read generously: any case, with or without dashes or spaces,
Eastern Arabic digits, O/I/L typed for 0/1 in the year.
"""

from __future__ import annotations

import re
from datetime import datetime
from random import Random

from surveys.numerals import read_whole, western_digits

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 4
# Year digits read the way people misread them; U is not in the alphabet, V is.
_YEAR_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CODE_LOOKALIKES = str.maketrans({"U": "V"})
_SEPARATORS = r"[\s\-_./]*"


def check_character(code: str) -> str:
    """The Luhn mod N check character of `code` (characters of the alphabet)."""
    size, total, factor = len(ALPHABET), 0, 2
    for character in reversed(code):
        addend = factor * ALPHABET.index(character)
        total += addend // size + addend % size
        factor = 1 if factor == 2 else 2
    return ALPHABET[(size - total % size) % size]


def new_tracking_number(prefix: str, filed_at: datetime, random: Random) -> str:
    """A fresh number, e.g. TRD-26-7K3Q9 (the caller retries if it is taken)."""
    code = "".join(random.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return f"{prefix}-{filed_at.year % 100:02d}-{code}{check_character(code)}"


def _pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(
        rf"^\W*(?:N°\s*)?{re.escape(prefix)}{_SEPARATORS}([0-9OIL]{{2}}){_SEPARATORS}"
        rf"([0-9A-Z]{{5}})\W*$"
    )


def read_tracking_number(text: str, prefix: str) -> str | None:
    """The number a message consists of, written the canonical way, or None when the
    message is not a tracking number (a wrong one still reads as a number)."""
    if len(text) > 40:
        return None
    match = _pattern(prefix.upper()).match(western_digits(text).upper())
    if match is None:
        return None
    year = match.group(1).translate(_YEAR_LOOKALIKES)
    code = match.group(2).translate(_CODE_LOOKALIKES)
    if read_whole(year) is None:
        return None
    return f"{prefix.upper()}-{year}-{code}"


def is_well_formed(number: str) -> bool:
    """True when the number's check character matches (a typo is caught without a lookup)."""
    code = number.rsplit("-", 1)[-1]
    if len(code) != RANDOM_LENGTH + 1 or any(c not in ALPHABET for c in code):
        return False
    return check_character(code[:-1]) == code[-1]
