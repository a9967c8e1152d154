"""updates whose unit of work committed

python-telegram-bot confirms a batch of updates with its next getUpdates call, which may go out
after an update's unit of work has committed: a bot stopped in between is sent the update again
and would apply it twice (an answer stored as the answer to the next question).

Revision ID: 005
Revises: 004
Create Date: 2026-11-25 21:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "005"
down_revision = "004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handled_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_handled_updates_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_handled_updates")),
    )
    with op.batch_alter_table("handled_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handled_updates_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_handled_updates_created_at"), ["created_at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("handled_updates")
