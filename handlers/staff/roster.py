"""The staff roster, kept by admins in the back-office: add a member, change a role, remove
one, reset a password (a temporary one, shown once); and every member changing their own
password. The commune always keeps an admin, and an admin never removes themselves.

A refusal is an `AccountRefused` naming its translated reason; it changes nothing."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from handlers.staff.accounts import (
    LOGIN,
    AccountRefused,
    login_from_name,
    password_matches,
    password_problem,
    set_staff_password,
)
from handlers.staff.actions import ADMIN
from handlers.staff.sign_in import token_hash
from storage.models import StaffMember
from storage.repositories.staff import ROLES
from storage.unit_of_work import UnitOfWork

NAME_LENGTH = 120
CHANNEL = re.compile(r"[a-z][a-z0-9_]{1,15}")
ACCOUNT_ID = re.compile(r"[^\s]{1,64}")
TELEGRAM_ID = re.compile(r"-?[0-9]{1,20}")  # Telegram knows a person by a number


@dataclass(frozen=True, slots=True)
class NewStaffMember:
    """What an admin types to add someone: their messaging account, name, role, and
    optionally a login (to sign in with a link sent to that account)."""

    channel: str
    account_id: str
    name: str
    role: str
    login: str = ""


@dataclass(frozen=True, slots=True)
class TemporaryPassword:
    """A password an admin hands over once; the member changes it on their account page."""

    login: str
    password: str


def _tidy(new: NewStaffMember) -> NewStaffMember:
    return NewStaffMember(
        channel=new.channel.strip().lower(),
        account_id=new.account_id.strip(),
        name=" ".join(new.name.split()),
        role=new.role.strip(),
        login=new.login.strip().lower(),
    )


def new_member_problem(new: NewStaffMember) -> AccountRefused | None:
    """What is wrong with a member typed in (already tidied), or None."""
    if not new.name:
        return AccountRefused("backoffice.staff.refused.name")
    if len(new.name) > NAME_LENGTH:
        return AccountRefused("backoffice.staff.refused.name_long", longest=NAME_LENGTH)
    if new.role not in ROLES:
        return AccountRefused("backoffice.staff.refused.role")
    if not CHANNEL.fullmatch(new.channel):
        return AccountRefused("backoffice.staff.refused.channel")
    if not ACCOUNT_ID.fullmatch(new.account_id) or (
        new.channel == "telegram" and not TELEGRAM_ID.fullmatch(new.account_id)
    ):
        return AccountRefused("backoffice.staff.refused.account_id")
    if new.login and not LOGIN.fullmatch(new.login):
        return AccountRefused("backoffice.staff.refused.login", login=new.login[:40])
    return None


async def add_to_staff(uow: UnitOfWork, new: NewStaffMember, now: datetime) -> StaffMember:
    """Add someone to the staff; an account already on the staff, or a login already
    taken, is refused."""
    new = _tidy(new)
    problem = new_member_problem(new)
    if problem is not None:
        raise problem
    if await uow.staff.find(new.channel, new.account_id) is not None:
        raise AccountRefused(
            "backoffice.staff.refused.taken", channel=new.channel, account_id=new.account_id
        )
    if new.login and await uow.staff.by_login(new.login) is not None:
        raise AccountRefused("backoffice.staff.refused.login_taken", login=new.login)
    member = await uow.staff.save(new.channel, new.account_id, new.name, new.role, now)
    member.login = new.login or None
    await uow.flush()
    return member


async def _member(uow: UnitOfWork, member_id: int) -> StaffMember:
    member = await uow.staff.get(member_id)
    if member is None:
        raise AccountRefused("backoffice.staff.refused.unknown")
    return member


async def change_staff_role(uow: UnitOfWork, member_id: int, role: str) -> tuple[StaffMember, str]:
    """Make a member admin or agent; the last admin stays one. Returns the member and
    their previous role."""
    if role not in ROLES:
        raise AccountRefused("backoffice.staff.refused.role")
    admins = await uow.staff.admin_ids()  # locked first: the member is read after
    member = await _member(uow, member_id)
    previous = member.role
    if previous == ADMIN and role != ADMIN and admins == [member.id]:
        raise AccountRefused("backoffice.staff.refused.last_admin")
    member.role = role
    await uow.flush()
    return member, previous


async def remove_from_staff(uow: UnitOfWork, by: StaffMember, member_id: int) -> StaffMember:
    """Take a member off the staff, with their sessions and sign-in links; the audit log
    keeps their name. Nobody removes themselves, and the last admin stays."""
    admins = await uow.staff.admin_ids()
    member = await _member(uow, member_id)
    if member.id == by.id:
        raise AccountRefused("backoffice.staff.refused.remove_self")
    if member.role == ADMIN and admins == [member.id]:
        raise AccountRefused("backoffice.staff.refused.last_admin")
    await uow.staff.remove_by_id(member.id)
    return member


def temporary_password(login: str) -> str:
    """A random password meeting the rules (about 96 bits)."""
    while True:
        candidate = secrets.token_urlsafe(12)
        if password_problem(candidate, login) is None:
            return candidate


async def _free_login(uow: UnitOfWork, member: StaffMember) -> str:
    """The member's login, or one made from their name that nobody else has."""
    if member.login:
        return member.login
    login = login_from_name(member.name)
    if not LOGIN.fullmatch(login):
        login = f"staff{member.id}"
    if await uow.staff.login_taken(login, by_other_than=member.id):
        login = f"{login[:28]}.{member.id}"
    return login


async def reset_staff_password(
    uow: UnitOfWork, by: StaffMember, member_id: int, now: datetime
) -> tuple[StaffMember, TemporaryPassword]:
    """Give another member a temporary password (and a login if they had none); every
    session they had is closed. One's own password is changed on one's account page."""
    member = await _member(uow, member_id)
    if member.id == by.id:
        raise AccountRefused("backoffice.staff.refused.reset_self")
    login = await _free_login(uow, member)
    password = temporary_password(login)
    await set_staff_password(uow, member, password, now, login)
    return member, TemporaryPassword(login, password)


async def change_own_password(
    uow: UnitOfWork,
    member: StaffMember,
    passwords: tuple[str, str, str],
    now: datetime,
    session_token: str,
) -> None:
    """A member replaces their password (current, new, new again); their other sessions
    are closed, the one they use stays open. Without a password yet (signed in with a
    link), there is no current one to give."""
    current, new, again = passwords
    if member.password_hash and not await password_matches(member, current):
        raise AccountRefused("backoffice.account.refused.current")
    if new != again:
        raise AccountRefused("backoffice.account.refused.mismatch")
    if member.password_hash and new == current:
        raise AccountRefused("backoffice.account.refused.same")
    await set_staff_password(uow, member, new, now, keep_session=token_hash(session_token))
