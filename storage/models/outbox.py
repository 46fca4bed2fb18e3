"""The outbox: messages to deliver later (pushes, reminders, broadcasts, queued replies)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import IDS_NEVER_REUSED, Base, BigId


class OutboxMessage(Base):
    """A message to deliver later (push, reminder, broadcast), written in the same
    transaction as the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "due_at"),
        # "Is there an earlier message for this chat?" — asked for every message claimed; the
        # chat id leads, so the probe stays an index lookup even before statistics exist.
        Index(
            "ix_outbox_chat_queue",
            "chat_id",
            "channel",
            "due_at",
            "id",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        # Rows waiting for their citizen to write again (WhatsApp's 24-hour window).
        Index(
            "ix_outbox_waiting",
            "chat_id",
            "channel",
            postgresql_where=text("status = 'waiting'"),
            sqlite_where=text("status = 'waiting'"),
        ),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    citizen_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    # The citizen a message to someone else is about (a staff push describing their
    # complaint): erased with them, like their own messages.
    about_citizen_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(12), default="pending")
    due_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # A message a channel shows as several (a text, then a poll): how many were delivered.
    parts_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    # The channel's id of the (first) message sent for this row, and its latest delivery
    # status as the channel reports it later (WhatsApp: sent, delivered, read, failed).
    channel_message_ref: Mapped[str | None] = mapped_column(String(128), index=True)
    delivery_status: Mapped[str | None] = mapped_column(String(16))
