"""Signing in to the back-office: with a login and password, or with a one-time link the
bot sends to the staff member's own chat; sessions that end after a while idle; and the
throttle that stops guessing (a login locked for a while after repeated failures, an
address slowed down after many).

A session or link token is 32 random bytes; only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.languages import Translator
from handlers.serialization import outgoing_to_dict
from handlers.staff.accounts import password_matches, web_locale_of
from handlers.types import Outgoing
from storage.models import StaffMember
from storage.unit_of_work import UnitOfWork

FAILURE_WINDOW = timedelta(minutes=15)
LOCK_AFTER = 5  # failures of one login within the window lock it until they age out
ADDRESS_LIMIT = 20  # failures from one address within the window
LINK_VALIDITY = timedelta(minutes=10)
LINKS_PER_WINDOW = 3
SESSION_LIFETIME = timedelta(hours=12)  # even when never idle
TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most this often


class SignInRefused(Exception):
    """Why someone may not sign in now; `key` names the translated reason."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True, slots=True)
class SignedIn:
    member: StaffMember
    token: str  # for the session cookie


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _check_throttle(uow: UnitOfWork, login: str, ip: str, now: datetime) -> None:
    since = now - FAILURE_WINDOW
    from_address = await uow.staff_access.failures_from(ip, since)
    if len(from_address) >= ADDRESS_LIMIT:
        raise SignInRefused(
            "backoffice.sign_in.throttled", minutes=_minutes_until(from_address, now)
        )
    of_login = await uow.staff_access.failures_of_login(login, since)
    if len(of_login) >= LOCK_AFTER:
        raise SignInRefused("backoffice.sign_in.locked", minutes=_minutes_until(of_login, now))


def _minutes_until(failures: list[datetime], now: datetime) -> int:
    """Minutes until the oldest failure counted leaves the window (at least 1)."""
    left = failures[0] + FAILURE_WINDOW - now
    return max(1, -(-int(left.total_seconds()) // 60))


async def sign_in_with_password(
    uow: UnitOfWork, login: str, password: str, ip: str, now: datetime
) -> SignedIn:
    """Open a session for the right login and password. A refusal never says which of the
    two was wrong; it is counted, and too many lock the login for a while."""
    login = login.strip().lower()[:40]
    await _check_throttle(uow, login, ip, now)
    member = await uow.staff.by_login(login) if login else None
    if not await password_matches(member, password) or member is None:
        await uow.staff_access.add_failure(login, ip, now)
        raise SignInRefused("backoffice.sign_in.refused")
    await uow.staff_access.forget_failures_of(login)
    return SignedIn(member, await open_session(uow, member, ip, now))


async def open_session(uow: UnitOfWork, member: StaffMember, ip: str, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    await uow.staff_access.open_session(token_hash(token), member.id, ip[:64], now)
    return token


async def resume_session(
    uow: UnitOfWork, token: str, now: datetime, idle: timedelta
) -> StaffMember | None:
    """The staff member of a session still open: not idle longer than `idle`, not older
    than the lifetime. An ended session is closed."""
    hashed = token_hash(token)
    found = await uow.staff_access.session_of(hashed)
    if found is None:
        return None
    session, member = found
    if now - session.last_seen_at > idle or now - session.created_at > SESSION_LIFETIME:
        await uow.staff_access.close_session(hashed)
        return None
    if now - session.last_seen_at >= TOUCH_EVERY:
        await uow.staff_access.touch_session(hashed, now)
    return member


async def forget_what_expired(uow: UnitOfWork, now: datetime, idle: timedelta) -> int:
    """Delete the sessions that ended (idle too long, or too old), the used or expired
    sign-in links and the failures that no longer count; the sessions deleted."""
    closed = await uow.staff_access.close_sessions_idle_since(now - idle)
    closed += await uow.staff_access.close_sessions_opened_before(now - SESSION_LIFETIME)
    await uow.staff_access.purge(now - max(FAILURE_WINDOW, LINK_VALIDITY))
    return closed


async def sign_out(uow: UnitOfWork, token: str) -> None:
    await uow.staff_access.close_session(token_hash(token))


async def send_sign_in_link(
    uow: UnitOfWork, login: str, base_url: str, default_locale: str, now: datetime
) -> bool:
    """Queue a one-time sign-in link to the staff member's own chat. False (and nothing
    sent) for an unknown login or when links were asked for too often; the page says the
    same either way, so it tells no one which logins exist."""
    member = await uow.staff.by_login(login.strip().lower()[:40])
    if member is None:
        return False
    recent = await uow.staff_access.links_sent_since(member.id, now - LINK_VALIDITY)
    if recent >= LINKS_PER_WINDOW:
        return False
    token = secrets.token_urlsafe(32)
    await uow.staff_access.add_link(token_hash(token), member.id, now, now + LINK_VALIDITY)
    t = Translator(web_locale_of(member, default_locale))
    url = f"{base_url.rstrip('/')}/sign-in/link/{token}"
    minutes = int(LINK_VALIDITY.total_seconds() // 60)
    text = t("staff.sign_in_link.message", name=member.name, url=url, minutes=minutes)
    # In a private chat the chat id is the user's id (Telegram; WhatsApp: the number).
    message = Outgoing(member.channel_user_id, text)
    return await uow.outbox.add(
        channel=member.channel,
        chat_id=member.channel_user_id,
        kind="staff",
        payload=outgoing_to_dict(message),
        now=now,
    )


async def link_holder(uow: UnitOfWork, token: str, now: datetime) -> StaffMember | None:
    """Whose link this is, while it is still unused and valid (the page before using it)."""
    link = await uow.staff_access.link(token_hash(token))
    if link is None or link.used_at is not None or now > link.expires_at:
        return None
    return await uow.staff.get(link.staff_id)


async def sign_in_with_link(uow: UnitOfWork, token: str, ip: str, now: datetime) -> SignedIn:
    """Use a sign-in link: once, within its validity."""
    member = await link_holder(uow, token, now)
    if member is None or not await uow.staff_access.use_link(token_hash(token), now):
        raise SignInRefused("backoffice.link.refused")
    return SignedIn(member, await open_session(uow, member, ip, now))
