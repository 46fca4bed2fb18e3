"""The citizens who consented (nothing about anyone is kept before consent)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import IDS_NEVER_REUSED, Base, BigId


class Citizen(Base):
    """A person who consented; nothing about anyone is kept here before consent."""

    __tablename__ = "citizens"
    __table_args__ = (UniqueConstraint("channel", "channel_user_id"), IDS_NEVER_REUSED)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    channel_user_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    script: Mapped[str] = mapped_column(String(4))
    consent_at: Mapped[datetime]
    quarter: Mapped[str | None] = mapped_column(String(64))
    gender: Mapped[str | None] = mapped_column(String(16))
    age_bracket: Mapped[str | None] = mapped_column(String(16))
    # The profile fields already asked ("quarter,gender"), answered or skipped: a skipped
    # one is not asked again unless the citizen opens it from My data.
    profile_asked: Mapped[str] = mapped_column(String(64), default="", server_default="")
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
