"""Complaints, observations and suggestions, with their history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import IDS_NEVER_REUSED, Base, BigId


class Complaint(Base):
    """A complaint, observation or suggestion a citizen filed, with its deadlines and where
    it stands; erased with the citizen (law 09-08)."""

    __tablename__ = "complaints"
    __table_args__ = (
        # The duplicate hint and the statistics ask "same category, same quarter, lately".
        Index("ix_complaints_category_quarter", "category", "quarter", "filed_at"),
        # The back-office lists complaints newest first, fifty at a time.
        Index("ix_complaints_filed_at", "filed_at", "id"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tracking_number: Mapped[str] = mapped_column(String(24), unique=True)
    citizen_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    quarter: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(300))
    attachment_kind: Mapped[str | None] = mapped_column(String(16))
    attachment_file_ref: Mapped[str | None] = mapped_column(String(255))
    attachment_mime: Mapped[str | None] = mapped_column(String(100))
    attachment_size: Mapped[int | None] = mapped_column(BigInteger)
    attachment_name: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(24), index=True)
    assigned_service: Mapped[str | None] = mapped_column(String(120))
    filed_at: Mapped[datetime]
    acknowledge_by: Mapped[datetime]
    answer_by: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    reopen_until: Mapped[datetime | None]
    locale: Mapped[str] = mapped_column(String(16))


class ComplaintEvent(Base):
    """One step in a complaint's history: who moved it from which status to which, what
    the citizen was told (`public_comment`) and what only staff see (`internal_note`)."""

    __tablename__ = "complaint_events"
    __table_args__ = IDS_NEVER_REUSED

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    complaint_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(120))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    public_comment: Mapped[str | None] = mapped_column(Text)
    internal_note: Mapped[str | None] = mapped_column(Text)
