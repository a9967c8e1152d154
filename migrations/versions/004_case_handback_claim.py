"""the claim of a case's hand-back

Webhook instances share users: a buyer who taps "get the texts" again while one instance waits
for the translator would get them from both. The instance that starts a hand-back writes its
claim here; the one whose claim is still in place when the texts are ready sends them.

Revision ID: 004
Revises: 003
Create Date: 2026-11-25 21:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "004"
down_revision = "003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ALTER on both databases: batch mode would copy `cases` on SQLite (see 003).
    op.add_column("cases", sa.Column("handback_claim", sa.String(length=32), nullable=True))


def downgrade() -> None:
    op.drop_column("cases", "handback_claim")  # not batch mode: see upgrade()
