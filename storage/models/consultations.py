"""Consultations: their definitions, the responses (one row per answer), and the quick
polls shown in chats."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import IDS_NEVER_REUSED, Base, BigId


class ConsultationRecord(Base):
    """A consultation as staff loaded it: its definition (the checked document, JSON) and
    where it stands (draft, open, closed)."""

    __tablename__ = "consultations"
    __table_args__ = IDS_NEVER_REUSED

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    definition: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(12), default="draft")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    results_published_at: Mapped[datetime | None]


class ConsultationResponse(Base):
    """One submitted response. `citizen_id` stays empty for anonymous consultations;
    `dedupe_token` (an HMAC of the citizen and the consultation) still tells a second
    response apart. Quarter, gender, age bracket and language are copied at submission,
    for the result filters."""

    __tablename__ = "consultation_responses"
    __table_args__ = (
        # `sequence` is 1 for a consultation taking one response per citizen: a second
        # submission, even racing the first, cannot be stored.
        UniqueConstraint("consultation_id", "dedupe_token", "sequence"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    consultation_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("consultations.id", ondelete="CASCADE")
    )
    citizen_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    dedupe_token: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer, default=1)
    started_at: Mapped[datetime]
    submitted_at: Mapped[datetime]
    locale: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    quarter: Mapped[str | None] = mapped_column(String(64))
    gender: Mapped[str | None] = mapped_column(String(16))
    age_bracket: Mapped[str | None] = mapped_column(String(16))


class ConsultationAnswer(Base):
    """One answer to one question: one row per answer, its value in the column of its type
    (choices as a JSON list of ids; single choices, yes/no and quarters also as text)."""

    __tablename__ = "consultation_answers"
    __table_args__ = (UniqueConstraint("response_id", "question_key"), IDS_NEVER_REUSED)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    response_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("consultation_responses.id", ondelete="CASCADE")
    )
    question_key: Mapped[str] = mapped_column(String(64))
    text_value: Mapped[str | None] = mapped_column(Text)
    number_value: Mapped[float | None] = mapped_column(Float)
    date_value: Mapped[date | None] = mapped_column(Date)
    choice_values: Mapped[list[str] | None] = mapped_column(JSON)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    media_ref: Mapped[str | None] = mapped_column(String(255))


class SentPoll(Base):
    """A quick poll a channel showed: the platform's poll id, so a vote (`poll_answer`)
    finds its consultation, and where the poll is, so it can be closed with the
    consultation. A vote counts for whoever casts it, whoever the poll was sent to."""

    __tablename__ = "sent_polls"
    __table_args__ = (UniqueConstraint("channel", "poll_ref"), IDS_NEVER_REUSED)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    poll_ref: Mapped[str] = mapped_column(String(64))
    consultation_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    citizen_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[str] = mapped_column(String(64))
    message_ref: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
