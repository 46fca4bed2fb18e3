"""SQLAlchemy tables: citizens, their conversation state, the inbox of received updates,
the outbox of messages to deliver later, staff accounts, and complaints with their
history. Times are stored in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a real bigint.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both backends (SQLite stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: store times as timezone-aware UTC")
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JSON,
    }


class Citizen(Base):
    """A person who consented; nothing about anyone is kept here before consent."""

    __tablename__ = "citizens"
    __table_args__ = (UniqueConstraint("channel", "channel_user_id"),)

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
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


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


class InboxUpdate(Base):
    """A received update, stored before it is handled; its payload is erased once handled,
    the row stays as the record that this update id was processed."""

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("channel", "update_id"),
        # Only updates not handled yet: tiny, and what every turn asks ("anything waiting?").
        Index(
            "ix_inbox_waiting",
            "channel",
            "channel_user_id",
            "id",
            postgresql_where=text("handled_at IS NULL"),
            sqlite_where=text("handled_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    update_id: Mapped[str] = mapped_column(String(64))
    channel_user_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    received_at: Mapped[datetime]
    handled_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(64))


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
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    citizen_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(12), default="pending")
    due_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True)


class StaffMember(Base):
    """Someone of the commune's staff, recognised by their messaging account."""

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("channel", "channel_user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    channel_user_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    added_at: Mapped[datetime]


class Complaint(Base):
    """A complaint, observation or suggestion a citizen filed, with its deadlines and where
    it stands; erased with the citizen (law 09-08)."""

    __tablename__ = "complaints"
    __table_args__ = (
        # The duplicate hint and the statistics ask "same category, same quarter, lately".
        Index("ix_complaints_category_quarter", "category", "quarter", "filed_at"),
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


class ConsultationRecord(Base):
    """A consultation as staff loaded it: its definition (the checked document, JSON) and
    where it stands (draft, open, closed)."""

    __tablename__ = "consultations"

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
    __table_args__ = (UniqueConstraint("response_id", "question_key"),)

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
    __table_args__ = (UniqueConstraint("channel", "poll_ref"),)

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
