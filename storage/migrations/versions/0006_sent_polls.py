"""sent quick polls

Revision ID: 0006_sent_polls
Revises: 0005_outbox_chat_queue
Create Date: 2026-11-27 00:35:34.228989
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_sent_polls"
down_revision: str | None = "0005_outbox_chat_queue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sent_polls",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("poll_ref", sa.String(length=64), nullable=False),
        sa.Column(
            "consultation_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "citizen_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("message_ref", sa.String(length=32), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["citizen_id"],
            ["citizens.id"],
            name=op.f("fk_sent_polls_citizen_id_citizens"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_sent_polls_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_polls")),
        sa.UniqueConstraint("channel", "poll_ref", name=op.f("uq_sent_polls_channel")),
    )
    with op.batch_alter_table("sent_polls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sent_polls_citizen_id"), ["citizen_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_sent_polls_consultation_id"), ["consultation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sent_polls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sent_polls_consultation_id"))
        batch_op.drop_index(batch_op.f("ix_sent_polls_citizen_id"))

    op.drop_table("sent_polls")
