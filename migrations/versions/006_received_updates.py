"""updates received and not yet handled

python-telegram-bot tells Telegram an update arrived (getUpdates' offset, or the webhook's 200)
as soon as it is queued in memory; a crash, or a stop, with updates still queued lost them.
Each update is now written here first and deleted once handled; a start takes up what is left.

Revision ID: 006
Revises: 005
Create Date: 2026-11-26 00:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "006"
down_revision = "005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "received_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recoveries", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_received_updates")),
    )
    with op.batch_alter_table("received_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_received_updates_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_received_updates_received_at"), ["received_at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("received_updates")
