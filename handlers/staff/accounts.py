"""Back-office accounts: a staff member's login and password (an argon2id hash, through
argon2-cffi), the language of their pages, and the rules a password must meet. Setting a
password closes every session opened with the old one."""

from __future__ import annotations

import asyncio
import re
import unicodedata
from datetime import datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from storage.models import StaffMember
from storage.unit_of_work import UnitOfWork

LOGIN = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
PASSWORD_LENGTH = (12, 256)
WEB_LOCALES = ("fr", "ar")

# One hasher for the process: argon2id with the library's RFC 9106 parameters.
HASHER = PasswordHasher()


@cache
def _nobody() -> str:
    """Verified when the login is unknown, so a wrong login takes as long as a wrong
    password; made at first use (hashing costs 64 MiB and ~0.1 s: not at every import)."""
    return HASHER.hash("no account has this password")


class AccountRefused(ValueError):
    """A login or password the rules refuse; `key` names the translated reason."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def login_from_name(name: str) -> str:
    """A login suggested from a name: "Fatima Zahra Aït" → "fatima.zahra.ait"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    return ".".join(words)[:40].strip(".")


def password_problem(password: str, login: str) -> str | None:
    """The catalog key of what is wrong with a password, or None."""
    shortest, longest = PASSWORD_LENGTH
    if len(password) < shortest:
        return "staff.password.too_short"
    if len(password) > longest:
        return "staff.password.too_long"
    if len(set(password)) < 5 or (login and login in password.lower()):
        return "staff.password.too_simple"
    return None


async def set_staff_password(
    uow: UnitOfWork,
    member: StaffMember,
    password: str,
    now: datetime,
    login: str | None = None,
    *,
    keep_session: str | None = None,
) -> str:
    """Give a staff member a login (kept, or suggested from their name) and a new password;
    every session they had is closed, but the one whose token hash is `keep_session` (the
    member changing their own password). Returns the login."""
    chosen = (login or member.login or login_from_name(member.name) or f"staff{member.id}").lower()
    if not LOGIN.fullmatch(chosen):
        raise AccountRefused("staff.login.invalid", login=chosen)
    if await uow.staff.login_taken(chosen, by_other_than=member.id):
        raise AccountRefused("staff.login.taken", login=chosen)
    problem = password_problem(password, chosen)
    if problem:
        raise AccountRefused(problem, shortest=PASSWORD_LENGTH[0])
    member.login = chosen
    member.password_hash = await asyncio.to_thread(HASHER.hash, password)
    member.password_set_at = now
    if keep_session is None:
        await uow.staff_access.close_sessions_of(member.id)
    else:
        await uow.staff_access.close_sessions_of_except(member.id, keep_session)
    await uow.flush()
    return chosen


async def password_matches(member: StaffMember | None, password: str) -> bool:
    """Whether the password is the member's; as slow for an unknown member. A hash made
    with older parameters is upgraded on the way."""
    stored = member.password_hash if member is not None and member.password_hash else _nobody()
    try:
        await asyncio.to_thread(HASHER.verify, stored, password)
    except (VerificationError, InvalidHashError):
        return False
    if member is None or stored is _nobody():
        return False
    if HASHER.check_needs_rehash(stored):
        member.password_hash = await asyncio.to_thread(HASHER.hash, password)
    return True


def web_locale_of(member: StaffMember | None, default_locale: str) -> str:
    """The language of a staff member's pages: their choice, else French or Arabic after
    the commune's default (Arabic script → Arabic)."""
    if member is not None and member.web_locale in WEB_LOCALES:
        return member.web_locale
    return "ar" if default_locale in ("ar", "ary", "shi-Arab") else "fr"


def choose_web_locale(member: StaffMember, locale: str) -> bool:
    """Keep the language a staff member chose for their pages; False if not offered."""
    if locale not in WEB_LOCALES:
        return False
    member.web_locale = locale
    return True
