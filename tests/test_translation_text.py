"""The pure parts of translation: normalising, protected tokens, splitting, Retry-After."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.translation.limits import LIMITS, ProviderLimit
from bot.translation.normalise import normalise, text_hash
from bot.translation.protect import mask, restore, slots_in, unmask
from bot.translation.retry import retry_after_seconds
from bot.translation.segments import join, split
from tests.fakes.buyer_texts import BUYER_TEXT, TOKENS


def test_normalise_keeps_paragraphs_and_drops_noise() -> None:
    assert normalise("  Привет,\u00a0\u00a0мир \r\n\r\n\r\n\tВторой  абзац\t ") == (
        "Привет, мир\n\nВторой абзац"
    )
    assert text_hash(normalise("а  б")) == text_hash(normalise(" а б "))


def test_every_protected_token_is_masked_whole() -> None:
    masked = mask(BUYER_TEXT)
    assert masked.tokens == TOKENS
    assert not re.search(r"\d", re.sub(r"\[\d+\]", "", masked.text))
    assert unmask(masked.text, masked.tokens) == BUYER_TEXT


def test_restore_tolerates_padding_case_and_full_width_brackets() -> None:
    masked = mask("Купил iPhone 15 за $25.90")
    answer = masked.text.replace("[0]", "[ 0 ]").replace("[1]", "\uff3b1\uff3d").upper()
    assert restore(answer, masked.tokens, slots_in(masked.text)) == "КУПИЛ iPhone 15 ЗА $25.90"


def test_restore_refuses_a_lost_doubled_or_invented_slot() -> None:
    masked = mask("Купил iPhone 15 за $25.90")
    expected = slots_in(masked.text)
    assert restore("Bought 0 for [1]", masked.tokens, expected) is None
    assert restore("Bought [0] [0] for [1]", masked.tokens, expected) is None
    assert restore("Bought [0] for [1] [2]", masked.tokens, expected) is None


def test_a_text_of_tokens_only_has_no_words() -> None:
    assert not mask("RA123456789CN 508, 27.07.2024").has_words()
    assert mask("508 г").has_words()


def test_split_cuts_at_sentences_first() -> None:
    text = "Первое предложение. Второе, длинное, предложение! Третье?\n\nАбзац."
    pieces = split(text, lambda piece: len(piece) <= 30)
    assert pieces == [
        ("Первое предложение.", " "),
        ("Второе, длинное, предложение!", " "),
        ("Третье?", "\n\n"),
        ("Абзац.", ""),
    ]


def test_split_falls_back_to_clauses_words_and_characters() -> None:
    text = "Очень-очень-длинноеслово, и ещё немного слов"
    pieces = split(text, lambda piece: len(piece) <= 10)
    assert all(len(piece) <= 10 for piece, _ in pieces)
    assert join([piece for piece, _ in pieces], pieces) == text


def test_mymemory_pieces_stay_under_500_bytes() -> None:
    text = " ".join(["Посылка пришла пустая, продавец не отвечает."] * 40)
    pieces = split(text, LIMITS["mymemory"].fits)
    assert len(pieces) > 5
    assert all(len(piece.encode()) <= 500 for piece, _ in pieces)


paragraphs = st.lists(
    st.text(alphabet="абв где ,.!?-—\u2026", min_size=1, max_size=80).map(normalise),
    min_size=1,
    max_size=6,
)


@given(paragraphs, st.integers(min_value=4, max_value=60))
def test_split_then_join_gives_the_text_back(parts: list[str], limit: int) -> None:
    text = normalise("\n\n".join(parts))
    fits = ProviderLimit(chars=limit).fits
    pieces = split(text, fits)
    assert join([piece for piece, _ in pieces], pieces) == text
    assert all(fits(piece) and piece.strip() == piece for piece, _ in pieces)


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = datetime(2024, 7, 27, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Sat, 27 Jul 2024 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
