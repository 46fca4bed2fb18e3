"""an index for the back-office's complaints list, newest first

Revision ID: 0012_complaints_filed_at
Revises: 0011_staff_web_access
Create Date: 2026-12-02 07:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_complaints_filed_at"
down_revision: str | None = "0011_staff_web_access"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_complaints_filed_at", "complaints", ["filed_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_complaints_filed_at", table_name="complaints")
