"""The words that dates are written with: month names and relative days (data, not UI)."""

from __future__ import annotations

# Full forms; any prefix of three letters or more names the month ("июл", "сент", "dec").
MONTHS = {
    1: ("января", "январь", "январе", "january"),
    2: ("февраля", "февраль", "феврале", "february"),
    3: ("марта", "март", "марте", "march"),
    4: ("апреля", "апрель", "апреле", "april"),
    5: ("мая", "май", "мае", "may"),
    6: ("июня", "июнь", "июне", "june"),
    7: ("июля", "июль", "июле", "july"),
    8: ("августа", "август", "августе", "august"),
    9: ("сентября", "сентябрь", "сентябре", "september"),
    10: ("октября", "октябрь", "октябре", "october"),
    11: ("ноября", "ноябрь", "ноябре", "november"),
    12: ("декабря", "декабрь", "декабре", "december"),
}
MIN_MONTH_PREFIX = 3

RELATIVE_DAYS = {
    "сегодня": 0, "вчера": -1, "позавчера": -2, "завтра": 1, "послезавтра": 2,
    "today": 0, "yesterday": -1, "tomorrow": 1,
}  # fmt: skip
AGO_WORDS = ("назад", "ago")
AHEAD_WORDS = ("через", "in")
# Words that may stand beside a span without changing it: "примерно неделю назад".
SPAN_FILLERS = frozenset({"примерно", "около", "где", "то", "почти", "уже", "ровно", "about"})


def month_number(word: str) -> int | None:
    """The month a (lower-case) word names, or None."""
    if len(word) < MIN_MONTH_PREFIX:
        return None
    for number, forms in MONTHS.items():
        if any(form.startswith(word) for form in forms):
            return number
    return None
