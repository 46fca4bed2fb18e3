"""Where each person stands in a flow."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigId


class Conversation(Base):
    """Where one person stands in a flow; `version` makes buttons of older messages stale."""

    __tablename__ = "conversations"
    # The user id leads the key: it is selective on its own, so lookups stay index scans
    # even before PostgreSQL has statistics on a fast-growing table.
    __table_args__ = (PrimaryKeyConstraint("channel_user_id", "channel"),)

    channel: Mapped[str] = mapped_column(String(16))
    channel_user_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(16))
    citizen_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("citizens.id", ondelete="SET NULL")
    )
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]
    # A channel that showed the last choices as a numbered list (WhatsApp, beyond 10): the
    # button ids in order, so that a typed number presses one. Written by the channel only.
    typed_choices: Mapped[list[str] | None] = mapped_column(JSON)
