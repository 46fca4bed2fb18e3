"""staff accounts

Revision ID: 0002_staff
Revises: 0001_foundation
Create Date: 2026-11-26 15:17:19.627080
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_staff"
down_revision: str | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("channel_user_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("channel", "channel_user_id", name=op.f("uq_staff_channel")),
    )


def downgrade() -> None:
    op.drop_table("staff")
