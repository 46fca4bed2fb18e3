"""Staff accounts — who may act for the commune in chat and in the back-office — with what
the back-office keeps about them: sessions, one-time sign-in links, failed sign-ins and the
audit log of their actions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import IDS_NEVER_REUSED, Base, BigId


class StaffMember(Base):
    """Someone of the commune's staff, recognised by their messaging account; with a
    login and a password (an argon2 hash) once they may use the back-office."""

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("channel", "channel_user_id"), IDS_NEVER_REUSED)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    channel_user_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    added_at: Mapped[datetime]
    login: Mapped[str | None] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_set_at: Mapped[datetime | None]
    web_locale: Mapped[str | None] = mapped_column(String(16))


class StaffSession(Base):
    """A signed-in back-office session; the cookie carries the token, the table only its
    SHA-256, so a copy of the database opens no session."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("staff.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ip: Mapped[str] = mapped_column(String(64))


class SignInLink(Base):
    """A one-time sign-in link sent to a staff member's own chat (its token's SHA-256)."""

    __tablename__ = "staff_sign_in_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("staff.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class SignInFailure(Base):
    """A refused sign-in: counted per login and per address to throttle guessing."""

    __tablename__ = "staff_sign_in_failures"
    __table_args__ = (
        Index("ix_staff_sign_in_failures_login_at", "login", "at"),
        Index("ix_staff_sign_in_failures_ip_at", "ip", "at"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    login: Mapped[str] = mapped_column(String(40))
    ip: Mapped[str] = mapped_column(String(64))


class AuditEntry(Base):
    """One staff action: who, when, what (an action name, its target, details), from
    which page and address. The name is kept when the account is removed."""

    __tablename__ = "staff_audit_log"
    __table_args__ = (Index("ix_staff_audit_log_at", "at"), IDS_NEVER_REUSED)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    staff_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("staff.id", ondelete="SET NULL"), index=True
    )
    staff_name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str | None] = mapped_column(String(120))
    detail: Mapped[str | None] = mapped_column(Text)
    page: Mapped[str] = mapped_column(String(300))
    ip: Mapped[str] = mapped_column(String(64))
