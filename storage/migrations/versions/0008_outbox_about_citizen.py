"""outbox rows know the citizen they describe

A staff push about a complaint goes to the staff group, not to its author, yet describes
them: `about_citizen_id` ties it to them so that erasing the citizen erases it too.

Revision ID: 0008_outbox_about_citizen
Revises: 0007_ids_never_reused
Create Date: 2026-12-01 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_outbox_about_citizen"
down_revision: str | None = "0007_ids_never_reused"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(
            sa.Column(
                "about_citizen_id",
                sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                nullable=True,
            )
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_about_citizen_id"), ["about_citizen_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_about_citizen_id_citizens"),
            "citizens",
            ["about_citizen_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_about_citizen_id_citizens"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_outbox_about_citizen_id"))
        batch_op.drop_column("about_citizen_id")
