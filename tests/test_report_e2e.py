"""Complaint-centre reports end to end: a user's script against the real bot on the emulator."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from bot.app import App
from bot.emulator import BotApiEmulator, Reply, SimUser
from bot.i18n import Catalogs, Texts
from bot.storage.models import Case, GeneratedText
from bot.translation import CacheKey
from bot.translation.normalise import text_hash
from bot.translation.service import TranslationResult
from flows.complaint import COMPLAINT
from flows.questions import Flow, Kind, Question
from flows.report import REPORT
from tests.conftest import BotStarter, stop_bot
from tests.images import tiny_jpeg

WAIT = 10.0
CYRILLIC = re.compile("[\u0400-\u04ff]")
SHARE_TEXT = "Смотрите, что я нашёл на AliExpress! https://a.aliexpress.com/_mKzXyZ1 Смартфон 5G"
ITEM_LINK = "https://aliexpress.ru/item/1005006123456789.html?sku_id=12000036788456123&spm=a2g2w"
BAIT_WORDS = "Телефон за 990 рублей, а по этой цене присылают карту памяти. В описании ни слова."
BAIT_ENGLISH = "A phone for 990 roubles, but at this price they send a memory card."
CHAT_WORDS = "Продавец написал в чате и попросил перевести деньги ему на карту."
DISPUTE_WORDS = "Вместо телефона в коробке лежала карта памяти на 32 ГБ."


class FakeTranslator:
    """Translates the texts it knows; anything else fails, as a translator that is down."""

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known

    async def translate(self, text: str, *, owner_id: int, **_: Any) -> TranslationResult:
        if text in self.known:
            return TranslationResult(self.known[text], True, "fake", False)
        return TranslationResult(text, False, None, False)

    def cache_key(self, text: str) -> CacheKey:
        """A key no cache holds: the hand-back always asks `translate`."""
        return CacheKey("ru", "en", text_hash(text))

    def warm(self, texts: Iterable[str], *, owner_id: int) -> None:
        """Nothing to prepare: `translate` answers at once."""

    async def aclose(self) -> None:
        """Nothing to release: the fake holds no connections."""


class Buyer:
    """Answers a flow's questions as a person would: taps the labelled buttons, types the rest."""

    def __init__(self, user: SimUser, texts: Texts, flow: Flow) -> None:
        self.user = user
        self.t = texts
        self.flow = flow
        self.seen: list[Reply] = []
        self.case_id: int | None = None
        self.current: str | None = None  # the question asked last and not yet answered

    async def until(self, wanted: Callable[[Reply], bool]) -> list[Reply]:
        """The bot's messages up to and including the first that is wanted."""
        got: list[Reply] = []
        while True:
            [reply] = await self.user.next_replies(timeout=WAIT)
            got.append(reply)
            self.seen.append(reply)
            self._note_case(reply)
            if wanted(reply):
                return got

    async def asked(self, key: str) -> Reply:
        """Wait for the question `key`; fail at once if the bot asks another."""
        question = self._question(key)
        prompts = {q.key: self.t(q.prompt) for q in self.flow._by_key.values()}
        replies = await self.until(lambda r: _starts(r, *prompts.values()))
        last = replies[-1]
        assert _starts(last, prompts[key]), f"expected {key!r}, got: {last.text!r}"
        assert question.key == key
        self.current = key
        return last

    async def answer(self, key: str, value: Any) -> None:
        """Answer question `key` once the bot asks it (or now, if it is the one just asked)."""
        question = self._question(key)
        if self.current != key:
            await self.asked(key)
        self.current = None
        if value is None:
            await self.user.press(self.t("conversation.skip"))
        elif question.kind is Kind.CHOICE:
            label = next(c.label for c in question.choices if c.value == value)
            await self.user.press(self.t(label))
        elif question.kind is Kind.YES_NO:
            await self.user.press(self.t("conversation.yes" if value else "conversation.no"))
        elif question.kind is Kind.EVIDENCE:
            await self._evidence(key, value)
        elif question.kind is Kind.REVIEW:
            await self.user.press(self.t("conversation.done.review"))
        else:
            await self.user.send_text(value)

    async def _evidence(self, key: str, labels: list[str]) -> None:
        for number, label in enumerate(labels, start=1):
            await self.user.send_photo(tiny_jpeg(number))
            await self.until(_is(self.t("evidence.saved", number=number)))
            await self.user.press(self.t(f"evidence.label.{label}"))
            await self.asked(key)
        await self.user.press(self.t("conversation.done.evidence"))

    def _question(self, key: str) -> Question:
        question = self.flow.question(key)
        assert question is not None, key
        return question

    def _note_case(self, reply: Reply) -> None:
        for row in reply.buttons:
            for _, data in row:
                if data and data.startswith("q:"):
                    self.case_id = int(data.split(":")[1])


def _is(text: str) -> Callable[[Reply], bool]:
    return lambda reply: reply.text == text


def _starts(reply: Reply, *prefixes: str) -> bool:
    return any((reply.text or "").startswith(prefix) for prefix in prefixes)


def _texts() -> Texts:
    return Catalogs.load().for_language("ru")


def _labels(reply: Reply) -> list[str]:
    return [label for row in reply.buttons for label, _ in row]


def _translator(application: App, known: dict[str, str]) -> None:
    application.bot_data["services"].extras["translator"] = FakeTranslator(known)


async def _stored(application: App, case_id: int) -> tuple[Case, dict[str, str]]:
    async with application.bot_data["services"].sessions() as session:
        case = await session.get(Case, case_id)
        rows = await session.scalars(select(GeneratedText).where(GeneratedText.case_id == case_id))
        assert case is not None
        return case, {row.kind: row.body for row in rows}


def _by_prefix(replies: list[Reply], prefix: str) -> Reply:
    return next(r for r in replies if (r.text or "").startswith(prefix))


async def test_a_bait_price_report_from_the_start_button_to_its_texts(
    emulator: BotApiEmulator, start_bot: BotStarter, database_url: str
) -> None:
    application = await start_bot(database_url)
    _translator(application, {BAIT_WORDS: BAIT_ENGLISH})
    t = _texts()
    buyer = Buyer(emulator.user(3001, language_code="ru"), t, REPORT)
    await buyer.user.send_text("/start")
    [greeting] = await buyer.user.next_replies(timeout=WAIT)
    assert t("start.report") in _labels(greeting)
    await buyer.user.press(t("start.report"))
    [opened] = await buyer.until(lambda r: True)
    assert opened.text is not None and "№" in opened.text

    await buyer.answer("report_type", "search_cheating")
    await buyer.answer("sub_reason.search_cheating", "bait_price")
    await buyer.answer("link", SHARE_TEXT)
    await buyer.answer("store", None)
    await buyer.answer("order_number", "8123 4567 8901 2345")
    await buyer.answer("evidence", ["listing"])
    await buyer.answer("description", BAIT_WORDS)
    card = await buyer.asked("review")
    assert "https://a.aliexpress.com/_mKzXyZ1" in (card.text or "")
    await buyer.answer("review", True)
    results = await buyer.until(lambda r: _starts(r, "Где подать жалобу"))

    kind = results[0].text or ""
    assert "Search Exposure Cheating" in kind and "Price mismatch (bait price)" in kind
    english = _by_prefix(results, "Report: Search Exposure Cheating").text or ""
    assert "https://a.aliexpress.com/_mKzXyZ1" in english and "spm" not in english
    assert "8123456789012345" in english
    assert BAIT_ENGLISH in english
    assert "Evidence attached (1 file): screenshots of the listing." in english
    assert not CYRILLIC.search(english) and len(english) <= 2000
    russian = _by_prefix(results, "Жалоба: Обман поисковой выдачи").text or ""
    assert BAIT_WORDS in russian
    where = results[-1].text or ""
    assert "Disputes & Reports" in where and "Submit a Report" in where
    assert t("results.edit") in _labels(results[-1])

    assert buyer.case_id is not None
    case, stored = await _stored(application, buyer.case_id)
    assert (case.flow, case.status) == ("report", "ready")
    assert stored == {"report_en": english, "report_ru": russian}


async def test_an_off_line_trading_report_survives_a_restart_and_an_edit(
    emulator: BotApiEmulator, start_bot: BotStarter, database_url: str
) -> None:
    application = await start_bot(database_url)
    t = _texts()
    buyer = Buyer(emulator.user(3002, language_code="ru"), t, REPORT)
    await buyer.user.send_text("/report")
    await buyer.answer("report_type", "offline_trading")
    await buyer.answer("sub_reason.offline_trading", "pay_outside")
    notes = await buyer.until(lambda r: _starts(r, t("report.ask.link")))
    assert notes[0].text == t("report.note.pay_outside")
    await buyer.user.send_text("https://www.ozon.ru/product/smartfon-123456/")
    [refusal] = await buyer.until(lambda r: True)
    assert (refusal.text or "").startswith(t("report.parse.not_aliexpress", host="www.ozon.ru"))
    await buyer.user.send_text(ITEM_LINK)
    await buyer.asked("store")

    await stop_bot(application)
    application = await start_bot(database_url)
    _translator(application, {})  # the translator is down: the description stays Russian
    await buyer.user.send_text("/cases")
    [listing] = await buyer.until(lambda r: bool(r.buttons))
    [[(label, callback)]] = listing.buttons
    assert callback == f"case:open:{buyer.case_id}" and str(buyer.case_id) in label
    await buyer.user.press(callback_data=f"case:open:{buyer.case_id}")
    resumed = await buyer.until(lambda r: True)
    assert resumed[0].text == t("cases.resumed", case_id=buyer.case_id)
    await buyer.asked("store")
    await buyer.answer("store", "Магазин Телефонов")
    await buyer.answer("order_number", None)
    await buyer.answer("evidence", ["seller_chat"])
    await buyer.answer("description", CHAT_WORDS)
    await buyer.asked("review")
    await buyer.user.press(t("review.change", field=t("review.field.link")))
    await buyer.answer("link", "https://m.aliexpress.ru/item/1005006999999999.html?spm=x")
    card = await buyer.asked("review")
    assert "1005006999999999" in (card.text or "")
    await buyer.answer("review", True)
    results = await buyer.until(lambda r: _starts(r, "Где подать жалобу"))

    english = _by_prefix(results, "Report: Influencing toward Off-line Trading").text or ""
    assert "https://aliexpress.ru/item/1005006999999999.html (item ID 1005006999999999)" in english
    assert "Store: Magazin Telefonov." in english
    assert "asked me to pay outside AliExpress" in english
    assert f"original in Russian: {CHAT_WORDS}" in english
    assert "order No." not in english
    assert any(r.text == t("report.results.pending") for r in results)
    assert buyer.case_id is not None
    case, stored = await _stored(application, buyer.case_id)
    assert case.status == "ready" and stored["report_en"] == english


async def test_ipr_is_explained_and_the_report_ends_cleanly(
    emulator: BotApiEmulator, start_bot: BotStarter, database_url: str
) -> None:
    application = await start_bot(database_url)
    t = _texts()
    buyer = Buyer(emulator.user(3003, language_code="ru"), t, REPORT)
    await buyer.user.send_text("/report")
    await buyer.answer("report_type", "ipr")
    replies = await buyer.until(lambda r: _starts(r, t("report.ask.type_instead")))
    assert replies[0].text == t("report.note.ipr")
    assert t("report.type.counterfeit") in _labels(replies[-1])
    await buyer.user.press(t("report.type_instead.finish"))
    [done] = await buyer.until(lambda r: True)
    assert done.text == t("report.finished")
    assert _labels(done) == [t("report.new"), t("start.begin")]
    assert buyer.case_id is not None
    case, stored = await _stored(application, buyer.case_id)
    assert case.status == "closed" and stored == {}


def _days(offset: int) -> str:
    return (date.today() + timedelta(days=offset)).strftime("%d.%m.%Y")


DISPUTE = {
    "problem": "not_as_described",
    "difference": "substitute",
    "site": "com",
    "item_name": "Смартфон Galaxy S24 Ultra 512 ГБ",
    "order_number": "8123456789012345",
    "tracking": "RA123456785CN",
    "order_date": _days(-30),
    "shipped_on": None,
    "amount": "12 168,71 руб",
    "store": "Best Phones Store",
    "receipt_confirmed": False,
    "protection_end": _days(10),
    "resolution": "full_refund",
    "has_act": False,
    "evidence": ["item"],
    "description": DISPUTE_WORDS,
    "review": True,
}


async def test_a_dispute_about_a_cheap_substitute_offers_a_pre_filled_report(
    emulator: BotApiEmulator, start_bot: BotStarter, database_url: str
) -> None:
    application = await start_bot(database_url)
    _translator(application, {DISPUTE_WORDS: "Instead of the phone the box held a memory card."})
    t = _texts()
    buyer = Buyer(emulator.user(3004, language_code="ru"), t, COMPLAINT)
    await buyer.user.send_text("/new")
    for key, value in DISPUTE.items():
        await buyer.answer(key, value)
    results = await buyer.until(lambda r: t("report.offer.button") in _labels(r))
    dispute_id = buyer.case_id
    assert "Search Exposure Cheating" in (results[-1].text or "")

    buyer.flow = REPORT
    await buyer.user.press(t("report.offer.button"))
    await buyer.answer("link", "https://www.aliexpress.com/item/1005006123456789.html?spm=a2g0o")
    card = await buyer.asked("review")
    assert "8123456789012345" in (card.text or "") and "Best Phones Store" in (card.text or "")
    assert buyer.case_id != dispute_id
    await buyer.answer("review", True)
    report = await buyer.until(lambda r: _starts(r, "Где подать жалобу"))

    english = _by_prefix(report, "Report: Search Exposure Cheating").text or ""
    assert "https://www.aliexpress.com/item/1005006123456789.html" in english
    assert "order No. 8123456789012345" in english and "Store: Best Phones Store." in english
    assert "dispute on this order with the same evidence" in english
    assert "Evidence attached (1 file): photos of the item received." in english
    assert "Instead of the phone the box held a memory card." in english
    assert buyer.case_id is not None
    case, stored = await _stored(application, buyer.case_id)
    assert (case.flow, case.status) == ("report", "ready") and "report_en" in stored
