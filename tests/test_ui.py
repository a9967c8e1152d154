"""Telegram's limits on what the bot sends: message length, callback data, ids."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.ids import MAX_ROW_ID, parse_id
from bot.ui import MAX_MESSAGE, data, message_parts


@given(st.text(min_size=0, max_size=12_000))
def test_long_texts_are_cut_into_messages_telegram_takes_and_nothing_is_lost(text: str) -> None:
    parts = message_parts(text)
    assert all(len(part) <= MAX_MESSAGE for part in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())


def test_a_long_text_is_cut_at_a_paragraph_end() -> None:
    text = "a" * 3000 + "\n\n" + "b" * 3000
    assert message_parts(text) == ["a" * 3000, "b" * 3000]


def test_callback_data_over_64_bytes_is_refused() -> None:
    with pytest.raises(ValueError):
        data("q", 1, "x" * 70)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12", 12),
        ("0", None),
        ("²", None),
        ("١٢", None),
        ("-1", None),
        ("", None),
        (str(MAX_ROW_ID), MAX_ROW_ID),
        (str(MAX_ROW_ID + 1), None),
        ("9" * 40, None),
    ],
)
def test_ids_from_buttons_fit_an_integer_column(raw: str, value: int | None) -> None:
    assert parse_id(raw) == value
