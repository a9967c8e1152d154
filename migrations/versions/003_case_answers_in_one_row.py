"""a case's answers and post-office acts in one JSON column of its row

Every update read a case's answers from two tables and wrote one row per answer; keeping them
in the case's own row makes an update one read and one write (bench/flow_throughput.py).

Revision ID: 003
Revises: 002
Create Date: 2026-11-25 14:20:00
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "003"
down_revision = "002"
branch_labels = None
depends_on = None

GROUP_KEY = "acts"
CASES = sa.table("cases", sa.column("id", sa.Integer), sa.column("answers", sa.JSON))
ANSWERS = sa.table(
    "answers",
    sa.column("user_id", sa.BigInteger),
    sa.column("case_id", sa.Integer),
    sa.column("key", sa.String),
    sa.column("value", sa.JSON),
)
ACTS = sa.table(
    "post_office_acts",
    sa.column("user_id", sa.BigInteger),
    sa.column("case_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("fields", sa.JSON),
)


def upgrade() -> None:
    # A plain ALTER on both databases: batch mode would copy `cases` on SQLite, and dropping
    # the old table there deletes every row that references it (foreign keys are on).
    op.add_column("cases", sa.Column("answers", sa.JSON(), server_default="{}", nullable=False))
    _join_answers(op.get_bind())
    with op.batch_alter_table("post_office_acts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_office_acts_user_id"))
        batch_op.drop_index(batch_op.f("ix_post_office_acts_case_id"))
    op.drop_table("post_office_acts")
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answers_user_id"))
        batch_op.drop_index(batch_op.f("ix_answers_case_id"))
    op.drop_table("answers")


def _join_answers(bind: sa.engine.Connection) -> None:
    """Each case's answer rows and act rows become its one `answers` value."""
    joined: dict[int, dict[str, Any]] = defaultdict(dict)
    for row in bind.execute(sa.select(ANSWERS.c.case_id, ANSWERS.c.key, ANSWERS.c.value)):
        joined[row.case_id][row.key] = row.value
    acts = sa.select(ACTS.c.case_id, ACTS.c.fields).order_by(ACTS.c.case_id, ACTS.c.position)
    for row in bind.execute(acts):
        joined[row.case_id].setdefault(GROUP_KEY, []).append(dict(row.fields or {}))
    for case_id, answers in joined.items():
        bind.execute(sa.update(CASES).where(CASES.c.id == case_id).values(answers=answers))


def downgrade() -> None:
    _create_answer_tables()
    _split_answers(op.get_bind())
    op.drop_column("cases", "answers")  # not batch mode: see upgrade()


def _create_answer_tables() -> None:
    """The tables as revision 001 made them."""
    _create_case_table(
        "answers",
        "key",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
    )
    _create_case_table(
        "post_office_acts",
        "position",
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
    )


def _create_case_table(name: str, unique: str, *columns: sa.Column[Any]) -> None:
    """A table of case rows: ids, `columns`, a creation time; one row per (case, `unique`)."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        *columns,
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f(f"fk_{name}_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f(f"fk_{name}_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("case_id", unique, name=op.f(f"uq_{name}_case_id")),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{name}_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f(f"ix_{name}_user_id"), ["user_id"], unique=False)


def _split_answers(bind: sa.engine.Connection) -> None:
    """Each case's `answers` value back into answer rows and act rows."""
    cases = sa.table(
        "cases",
        sa.column("id", sa.Integer),
        sa.column("user_id", sa.BigInteger),
        sa.column("answers", sa.JSON),
    )
    for case in bind.execute(sa.select(cases.c.id, cases.c.user_id, cases.c.answers)):
        answers = dict(case.answers or {})
        owner = {"user_id": case.user_id, "case_id": case.id}
        acts = answers.pop(GROUP_KEY, None) or []
        if answers:
            bind.execute(
                sa.insert(ANSWERS), [{**owner, "key": k, "value": v} for k, v in answers.items()]
            )
        if acts:
            bind.execute(
                sa.insert(ACTS),
                [{**owner, "position": i, "fields": fields} for i, fields in enumerate(acts)],
            )
