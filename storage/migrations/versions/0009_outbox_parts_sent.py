"""outbox rows count the parts already delivered

A message a channel shows as several (a consultation's intro, then its poll) is sent part
by part at the chat's pace; `parts_sent` lets a retry start after the parts delivered.

Revision ID: 0009_outbox_parts_sent
Revises: 0008_outbox_about_citizen
Create Date: 2026-12-01 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_outbox_parts_sent"
down_revision: str | None = "0008_outbox_about_citizen"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(
            sa.Column("parts_sent", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("parts_sent")
