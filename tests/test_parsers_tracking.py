"""Tracking numbers: S10 check digits, other carriers, and the faults the bot names."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.errors import ParseError
from flows.parsers.check_digits import S10_WEIGHTS, russian_post_check_digit, s10_check_digit
from flows.parsers.countries import COUNTRY_CODES
from flows.parsers.tracking import CHECKED_SERVICES, Tracking, is_valid_s10, parse_tracking

CAINIAO_LINK = "https://global.cainiao.com/detail.htm?mailNoList=LP00123456789012"

VALID = [
    ("RA123456785CN", "RA123456785CN", "s10"),
    ("RR123456785CN", "RR123456785CN", "s10"),
    ("EE123456785RU", "EE123456785RU", "s10"),
    ("ra123456785cn", "RA123456785CN", "s10"),
    ("RA 1234 5678 5 CN", "RA123456785CN", "s10"),
    ("RA\u00a0123456785\u00a0CN", "RA123456785CN", "s10"),
    ("RА123456785СN", "RA123456785CN", "s10"),  # Cyrillic А and С
    ("rа 1234 5678 5 сn", "RA123456785CN", "s10"),
    ("№ RA123456785CN", "RA123456785CN", "s10"),
    ("Трек-номер: RA-123-456-785-CN.", "RA123456785CN", "s10"),
    ("мой трек RA123456785CN, спасибо", "RA123456785CN", "s10"),
    ("RA123456785CN RA123456785CN", "RA123456785CN", "s10"),
    ("RA123456785CN от 27.07.2024", "RA123456785CN", "s10"),
    ("https://www.pochta.ru/tracking#RA123456785CN", "RA123456785CN", "s10"),
    ("LP00123456789012", "LP00123456789012", "other"),
    (CAINIAO_LINK, "LP00123456789012", "other"),
    ("AEWH0001234567RU4", "AEWH0001234567RU4", "other"),
    ("YT2412345678901234", "YT2412345678901234", "other"),
    ("UH123456789CN", "UH123456789CN", "other"),  # U series: check digit not enforced
    ("UG570191305YP", "UG570191305YP", "other"),  # Yanwen: YP is no country
    ("4PX3001234567890CN", "4PX3001234567890CN", "other"),
    ("1234567890", "1234567890", "other"),  # CDEK
    ("80085796123450", "80085796123450", "other"),  # Russian Post: its 14-digit check holds
]

ERRORS: list[tuple[Callable[[str], object], str, str]] = [
    (parse_tracking, "", "parse.tracking.empty"),
    (parse_tracking, "  ", "parse.tracking.empty"),
    (parse_tracking, "YANWEN", "parse.tracking.word"),
    (parse_tracking, "не знаю", "parse.tracking.word"),
    (parse_tracking, "CAINIAO1", "parse.tracking.word"),
    (parse_tracking, "RA1234567Д5CN", "parse.tracking.characters"),
    (parse_tracking, "RA123456784CN", "parse.tracking.check_digit"),
    (parse_tracking, "RA123456758CN", "parse.tracking.check_digit"),
    (parse_tracking, "RA12345678CN", "parse.tracking.length"),
    (parse_tracking, "RA1234567855CN", "parse.tracking.length"),
    (parse_tracking, "RA12O456785CN", "parse.tracking.letter_for_digit"),
    (parse_tracking, "RAl23456785CN", "parse.tracking.letter_for_digit"),
    (parse_tracking, "8123456789012345", "parse.tracking.order_number"),
    (parse_tracking, "812345678901234", "parse.tracking.order_number"),
    (parse_tracking, "80085796123458", "parse.tracking.order_number"),
    (parse_tracking, "12345", "parse.tracking.too_short"),
    (parse_tracking, "1" * 31, "parse.tracking.too_long"),
    (parse_tracking, "RA123456785CN RB123456785CN", "parse.tracking.several"),
    (parse_tracking, "https://aliexpress.ru/item/100500.html", "parse.tracking.url"),
]


@pytest.mark.parametrize(("text", "number", "kind"), VALID)
def test_valid_numbers_are_stored_normalised(text: str, number: str, kind: str) -> None:
    assert parse_tracking(text) == {"number": number, "kind": kind}


@pytest.mark.parametrize(("parse", "text", "code"), ERRORS, ids=[e[1][:30] for e in ERRORS])
def test_faults_are_named(parse: Callable[[str], object], text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(text)
    assert caught.value.code == code


def test_check_digit_error_names_the_expected_digit() -> None:
    with pytest.raises(ParseError) as caught:
        parse_tracking("RA123456784CN")
    assert caught.value.params == {"expected": 5}


def test_letter_error_suggests_the_corrected_number() -> None:
    with pytest.raises(ParseError) as caught:
        parse_tracking("RA12O456785CN")
    assert caught.value.params == {"letter": "O", "digit": "0", "number": "RA120456785CN"}


def test_length_error_counts_the_digits() -> None:
    with pytest.raises(ParseError) as caught:
        parse_tracking("RA12345678CN")
    assert caught.value.params == {"count": 8}


@pytest.mark.parametrize(
    ("serial", "check"),
    # 47312482 -> 9 is the UPU's own example, AA473124829GB; the others are worked by hand.
    [("47312482", 9), ("12345678", 5), ("00000000", 5), ("00000001", 4), ("00000008", 0)],
)
def test_s10_check_digits(serial: str, check: int) -> None:
    assert s10_check_digit(serial) == check


def test_s10_ten_becomes_zero_and_eleven_becomes_five() -> None:
    assert s10_check_digit("00000008") == 0  # 8 * 7 = 56, 56 mod 11 = 1, 11 - 1 = 10 -> 0
    assert s10_check_digit("11111111") == 5  # weights sum to 44, 44 mod 11 = 0, 11 -> 5


def test_tracking_reads_back() -> None:
    stored = parse_tracking("RA123456785CN")
    assert Tracking.from_json(stored) == Tracking("RA123456785CN", "s10")


def test_russian_post_check_digit() -> None:
    # odd places 8+0+5+9+1+3+5 = 31, times 3 = 93; even places 0+8+7+6+2+4 = 27; 120 -> 0
    assert russian_post_check_digit("8008579612345") == 0


def _remainder(serial: str) -> int:
    return sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11


services = st.sampled_from(sorted(CHECKED_SERVICES))
letters = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
serials = st.text("0123456789", min_size=8, max_size=8)
countries = st.sampled_from(sorted(COUNTRY_CODES))


@given(services, letters, serials, countries)
def test_every_valid_s10_round_trips(service: str, second: str, serial: str, country: str) -> None:
    number = f"{service}{second}{serial}{s10_check_digit(serial)}{country}"
    assert is_valid_s10(number)
    assert parse_tracking(number) == {"number": number, "kind": "s10"}
    spaced = f" {number[:2].lower()} {number[2:6]} {number[6:11]} {number[11:].lower()} "
    assert parse_tracking(spaced) == {"number": number, "kind": "s10"}


@given(services, letters, serials, countries, st.integers(0, 8), st.integers(1, 9))
def test_single_digit_changes_are_caught(
    service: str, second: str, serial: str, country: str, position: int, shift: int
) -> None:
    digits = f"{serial}{s10_check_digit(serial)}"
    changed = digits[:position] + str((int(digits[position]) + shift) % 10) + digits[position + 1 :]
    number = f"{service}{second}{changed}{country}"
    if s10_check_digit(changed[:8]) == int(changed[8]):
        # The only blind spot of S10: remainders 0 and 6 both give check digit 5.
        assert {_remainder(serial), _remainder(changed[:8])} == {0, 6}
        return
    with pytest.raises(ParseError) as caught:
        parse_tracking(number)
    assert caught.value.code == "parse.tracking.check_digit"
    assert caught.value.params["expected"] == s10_check_digit(changed[:8])


@given(services, letters, serials, countries)
def test_a_changed_check_digit_is_always_caught(
    service: str, second: str, serial: str, country: str
) -> None:
    wrong = (s10_check_digit(serial) + 1) % 10
    with pytest.raises(ParseError) as caught:
        parse_tracking(f"{service}{second}{serial}{wrong}{country}")
    assert caught.value.code == "parse.tracking.check_digit"
