"""workshops, their registrations, and the profile fields a citizen was asked

Workshops (trainings, meetings) with their sign-ups and waitlist; `citizens.profile_asked`
remembers which optional profile questions were asked, so a skipped one is not asked again.

Revision ID: 0010_workshops_profile
Revises: 0009_outbox_parts_sent
Create Date: 2026-12-02 00:59:31.133941
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_workshops_profile"
down_revision: str | None = "0009_outbox_parts_sent"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("quarter", sa.String(length=64), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshops")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.create_index("ix_workshops_status_starts", ["status", "starts_at"], unique=False)

    op.create_table(
        "workshop_registrations",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "workshop_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "citizen_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("promoted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["citizen_id"],
            ["citizens.id"],
            name=op.f("fk_workshop_registrations_citizen_id_citizens"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_workshop_registrations_workshop_id_workshops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_registrations")),
        sa.UniqueConstraint("code", name=op.f("uq_workshop_registrations_code")),
        sa.UniqueConstraint(
            "workshop_id", "citizen_id", name=op.f("uq_workshop_registrations_workshop_id")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("workshop_registrations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workshop_registrations_citizen_id"), ["citizen_id"], unique=False
        )
        batch_op.create_index(
            "ix_workshop_registrations_queue",
            ["workshop_id", "status", "queued_at", "id"],
            unique=False,
        )

    with op.batch_alter_table("citizens", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(
            sa.Column("profile_asked", sa.String(length=64), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("citizens", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("profile_asked")

    with op.batch_alter_table("workshop_registrations", schema=None) as batch_op:
        batch_op.drop_index("ix_workshop_registrations_queue")
        batch_op.drop_index(batch_op.f("ix_workshop_registrations_citizen_id"))

    op.drop_table("workshop_registrations")
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_index("ix_workshops_status_starts")

    op.drop_table("workshops")
