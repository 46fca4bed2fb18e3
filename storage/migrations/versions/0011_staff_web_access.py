"""the back-office: staff logins and passwords, sessions, sign-in links, failed sign-ins,
the audit log

Revision ID: 0011_staff_web_access
Revises: 0010_workshops_profile
Create Date: 2026-12-02 06:39:39.623668
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_staff_web_access"
down_revision: str | None = "0010_workshops_profile"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_sign_in_failures",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("login", sa.String(length=40), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_sign_in_failures")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("staff_sign_in_failures", schema=None) as batch_op:
        batch_op.create_index("ix_staff_sign_in_failures_ip_at", ["ip", "at"], unique=False)
        batch_op.create_index("ix_staff_sign_in_failures_login_at", ["login", "at"], unique=False)

    op.create_table(
        "staff_audit_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("staff_name", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=120), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("page", sa.String(length=300), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_audit_log_staff_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_audit_log")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("staff_audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_audit_log_action"), ["action"], unique=False)
        batch_op.create_index("ix_staff_audit_log_at", ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_audit_log_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "staff_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_sessions_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_staff_sessions")),
    )
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_sessions_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "staff_sign_in_links",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_sign_in_links_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_staff_sign_in_links")),
    )
    with op.batch_alter_table("staff_sign_in_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_sign_in_links_staff_id"), ["staff_id"], unique=False
        )

    with op.batch_alter_table("staff", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(sa.Column("login", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("password_hash", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("password_set_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("web_locale", sa.String(length=16), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_staff_login"), ["login"])


def downgrade() -> None:
    with op.batch_alter_table("staff", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_staff_login"), type_="unique")
        batch_op.drop_column("web_locale")
        batch_op.drop_column("password_set_at")
        batch_op.drop_column("password_hash")
        batch_op.drop_column("login")

    with op.batch_alter_table("staff_sign_in_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_sign_in_links_staff_id"))

    op.drop_table("staff_sign_in_links")
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_sessions_staff_id"))

    op.drop_table("staff_sessions")
    with op.batch_alter_table("staff_audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_audit_log_staff_id"))
        batch_op.drop_index("ix_staff_audit_log_at")
        batch_op.drop_index(batch_op.f("ix_staff_audit_log_action"))

    op.drop_table("staff_audit_log")
    with op.batch_alter_table("staff_sign_in_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_staff_sign_in_failures_login_at")
        batch_op.drop_index("ix_staff_sign_in_failures_ip_at")

    op.drop_table("staff_sign_in_failures")
