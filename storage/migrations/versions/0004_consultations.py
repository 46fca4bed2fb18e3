"""consultations, their responses and answers

Revision ID: 0004_consultations
Revises: 0003_complaints
Create Date: 2026-11-26 15:33:11.858324
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_consultations"
down_revision: str | None = "0003_complaints"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "consultations",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("results_published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
        sa.UniqueConstraint("key", name=op.f("uq_consultations_key")),
    )
    op.create_table(
        "consultation_responses",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("consultation_id", BIG_ID, nullable=False),
        sa.Column("citizen_id", BIG_ID, nullable=True),
        sa.Column("dedupe_token", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("quarter", sa.String(length=64), nullable=True),
        sa.Column("gender", sa.String(length=16), nullable=True),
        sa.Column("age_bracket", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["citizen_id"],
            ["citizens.id"],
            name=op.f("fk_consultation_responses_citizen_id_citizens"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_responses_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_responses")),
        sa.UniqueConstraint(
            "consultation_id",
            "dedupe_token",
            "sequence",
            name=op.f("uq_consultation_responses_consultation_id"),
        ),
    )
    with op.batch_alter_table("consultation_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_responses_citizen_id"), ["citizen_id"], unique=False
        )

    op.create_table(
        "consultation_answers",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("response_id", BIG_ID, nullable=False),
        sa.Column("question_key", sa.String(length=64), nullable=False),
        sa.Column("text_value", sa.Text(), nullable=True),
        sa.Column("number_value", sa.Float(), nullable=True),
        sa.Column("date_value", sa.Date(), nullable=True),
        sa.Column("choice_values", sa.JSON(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("media_ref", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["consultation_responses.id"],
            name=op.f("fk_consultation_answers_response_id_consultation_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_answers")),
        sa.UniqueConstraint(
            "response_id", "question_key", name=op.f("uq_consultation_answers_response_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("consultation_answers")
    with op.batch_alter_table("consultation_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_responses_citizen_id"))

    op.drop_table("consultation_responses")
    op.drop_table("consultations")
