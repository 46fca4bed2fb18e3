"""Staff accounts: who may act for the commune in chat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import IDS_NEVER_REUSED, Base, BigId


class StaffMember(Base):
    """Someone of the commune's staff, recognised by their messaging account."""

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("channel", "channel_user_id"), IDS_NEVER_REUSED)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    channel_user_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    added_at: Mapped[datetime]
