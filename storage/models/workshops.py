"""Workshops, trainings and meetings, and who signed up for them (the waitlist included)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import IDS_NEVER_REUSED, Base, BigId


class Workshop(Base):
    """A workshop, training or meeting; titles and descriptions per locale. `version`
    grows with every change citizens are told about (time, place), so each notice is
    queued once per change."""

    __tablename__ = "workshops"
    __table_args__ = (Index("ix_workshops_status_starts", "status", "starts_at"), IDS_NEVER_REUSED)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[dict[str, Any]]
    description: Mapped[dict[str, Any]]
    quarter: Mapped[str] = mapped_column(String(64))
    place: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(16), default="everyone")
    status: Mapped[str] = mapped_column(String(12), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class WorkshopRegistration(Base):
    """A citizen's place at a workshop: registered, waitlisted (in `queued_at` order) or
    cancelled. `code` is shown at the door; `attended_at` is set when staff mark it."""

    __tablename__ = "workshop_registrations"
    __table_args__ = (
        UniqueConstraint("workshop_id", "citizen_id"),
        UniqueConstraint("code"),
        Index("ix_workshop_registrations_queue", "workshop_id", "status", "queued_at", "id"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workshop_id: Mapped[int] = mapped_column(BigId, ForeignKey("workshops.id", ondelete="CASCADE"))
    citizen_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12))
    code: Mapped[str] = mapped_column(String(12))
    queued_at: Mapped[datetime]
    promoted_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    attended_at: Mapped[datetime | None]
    rating: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
