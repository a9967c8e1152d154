"""The rules table: every deadline number with its source and confidence, and operator overrides."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, cast, get_args

Unit = Literal["days", "working_days", "hours", "months"]
Direction = Literal["after", "before"]
Confidence = Literal["sourced", "weak", "guess", "unknown"]
Scope = Literal["aliexpress", "russian_post", "card"]

SITES = ("aliexpress.com", "aliexpress.ru")
# The complaint flow stores the site as its short answer ("com", "ru").
SITE_NAMES = {"com": "aliexpress.com", "ru": "aliexpress.ru"}


def site_named(answer: object) -> str:
    """The rules table's site for a stored answer; aliexpress.com when unknown."""
    return SITE_NAMES.get(str(answer), SITES[0])


CONFIDENCES: tuple[str, ...] = get_args(Confidence)
MAX_AMOUNT = 1000
MAX_LEAD_DAYS = 365


@dataclass(frozen=True)
class Rule:
    """One number: how much, in what unit, counted from what, how sure we are and who says so."""

    key: str
    amount: int
    unit: Unit
    direction: Direction
    counts_from: str
    leads: tuple[int, ...]
    scope: Scope
    confidence: Confidence
    sources: tuple[str, ...]
    origin: str = "default"

    def due_from(self, anchor: date) -> date:
        """The date this rule gives when its clock starts on `anchor`."""
        sign = 1 if self.direction == "after" else -1
        if self.unit == "days":
            return anchor + timedelta(days=sign * self.amount)
        if self.unit == "hours":
            return anchor + timedelta(days=sign * _hours_as_days(self.amount, self.direction))
        if self.unit == "months":
            return add_months(anchor, sign * self.amount)
        return add_working_days(anchor, sign * self.amount)


@dataclass(frozen=True)
class Schedule:
    """When reminders may go out, in the user's local time."""

    quiet_start: time = time(22, 0)
    quiet_end: time = time(9, 0)
    morning: time = time(10, 0)

    def is_quiet(self, moment: time) -> bool:
        """Whether a local wall-clock time falls in the quiet hours."""
        if self.quiet_start <= self.quiet_end:
            return self.quiet_start <= moment < self.quiet_end
        return moment >= self.quiet_start or moment < self.quiet_end


@dataclass(frozen=True)
class Rules:
    """The rules per site and the reminder schedule; immutable."""

    by_site: Mapping[str, Mapping[str, Rule]]
    schedule: Schedule

    def rule(self, key: str, site: str) -> Rule:
        """The rule `key` as it holds on `site`."""
        if site not in self.by_site:
            raise ValueError(f"unknown site {site!r}, expected one of {', '.join(SITES)}")
        return self.by_site[site][key]

    def rule_keys(self) -> tuple[str, ...]:
        """Every rule key, in table order."""
        return tuple(self.by_site[SITES[0]])


def _hours_as_days(hours: int, direction: Direction) -> int:
    """Whole days for an hour count, rounded towards the earlier date."""
    return math.ceil(hours / 24) if direction == "before" else hours // 24


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first_of_next = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return date(year, month + 1, min(day.day, (first_of_next - timedelta(days=1)).day))


def add_working_days(day: date, count: int) -> date:
    """`day` moved by `count` Monday-to-Friday days (public holidays are not known here)."""
    step = 1 if count >= 0 else -1
    left = abs(count)
    while left:
        day += timedelta(days=step)
        if day.weekday() < 5:
            left -= 1
    return day


# Sources, as listed in shared/research/domain-sources.md (sections 1, 3, 4 and 7).
_OLD_BUYER_PROTECTION = "http://www.aliexpress.com/buyerprotection/how_do_i_open_a_dispute.html"
_BIO_GUARD = (
    "https://bio-guard.net/real/frequent-question-how-does-aliexpress-determine-"
    "buyer-protection-time.html"
)
_SOVETCLUB_EXTEND = "https://sovetclub.ru/en/kak-prodlit-zashhitu-na-aliekspress"
_HELP_2022 = "https://christinasbeautyjourney.blogspot.com/2022/03/how-to-open-dispute.html"
_YAHABIBATI = "https://yahabibati.com/qa/when-should-i-open-dispute-on-aliexpress.html"
_ALIBILLING = "https://alibilling.com/blog/aliexpress-disputes-chargebacks-win-with-docs"
_FULLSHINE = "https://help.fullshine.net/policies-terms/return-policy/buyer-protection"
_LOFT_CAFE = (
    "https://loft-cafe.ru/articles/v-techenii-kakogo-vremeni-mozhno-otkryt-spor-na-"
    "aliekspress-esli-tovar-ne-prishel.html"
)
_SSOP_35242 = "https://ssopdot.com/blog/35242.html"
_SSOP_19333 = "https://ssopdot.com/blog/19333.html"
_REDMODE = "https://redmode.ru/articles/kak-vernut-tovar-prodavcu-na-aliexpress"
_VIWS = "https://viws.ru/en/kak-podklyuchit-k-sporu-aliekspress-kak-otkryt-i-vyigrat-spor-na.html"
_CNJDPART = "https://cnjdpart.com/ru/pages/faqs"
_HB2B = "https://en.hb2b.com/ask/190738.html"
_NEURUM_STORAGE = (
    "https://ya.ru/neurum/c/drugoe/q/kak_uznat_skolko_vremeni_budet_hranitsya_pismo_671073a1"
)
_NEURUM_PARCELS = "https://ya.ru/neurum/c/drugoe/q/skolko_hranitsya_posylka_f04f6762"
_RUSPOST_EU = "https://www.ruspost.eu/faq/wie-lange-wird-ein-paket-bei-der-postfiliale-aufbewahrt"
_BAHETLE = "https://bahetle-kem.ru/articles/kak-prodlit-hranenie-zakaza-na-pochte"
_UNITARMY = (
    "https://unitarmy.ru/en/zvuk-i-karty/zayavlenie-rozysk-posylki-iz-kitaya-"
    "otslezhivanie-posylki-pochty.html"
)
_OMNIVA = "https://omniva.ee/pomoshtx/minu-pakk-on-kahjustunud"
_QUAVO = "https://quavo-inc.atlassian.net/wiki/pages/viewpage.action?pageId=341080959"
_JUSTT_VISA = (
    "https://justt.ai/chargeback-reason-codes/visa/"
    "13-3-not-as-described-or-defective-merchandise-services"
)
_JUSTT_MC = (
    "https://justt.ai/chargeback-reason-codes/mastercard/4853-goods-or-services-not-provided/"
)
_MIDIGATOR = "http://resources.midigator.com/53-cardholder-dispute/"
_PAYMENTSANDRISK = (
    "https://paymentsandrisk.com/docs/reference/reason-codes/mastercard/cardholder-dispute"
)
_DISPUTIFIER = "https://www.disputifier.com/post/what-is-the-540-days-chargeback-rule"
_VERIFI = "https://www.verifi.com/update-to-dispute-condition-13-6/"
_SHUPIKOV = "https://shupikov.com/chargeback"
_ALLCHARGEBACKS = "https://allchargebacks.ru/?p=881"
RU_DISPUTE_AGREEMENT = "https://business.ru.laliexpress.com/legal-docs/article/aer-dispute-policy"


def _r(
    key: str,
    amount: int,
    unit: Unit,
    direction: Direction,
    counts_from: str,
    leads: tuple[int, ...],
    scope: Scope,
    confidence: Confidence,
    *sources: str,
) -> Rule:
    """A table row."""
    return Rule(key, amount, unit, direction, counts_from, leads, scope, confidence, sources)


# The defaults as they hold on aliexpress.com; the .ru copies are derived below.
TABLE: tuple[Rule, ...] = (
    _r("protection.end", 0, "days", "after", "protection_end", (), "aliexpress", "sourced",
       _OLD_BUYER_PROTECTION, _BIO_GUARD),
    _r("protection.extend", 7, "days", "before", "protection_end", (0,), "aliexpress", "weak",
       _SOVETCLUB_EXTEND, _BIO_GUARD),
    _r("protection.urgent", 48, "hours", "before", "protection_end", (0,), "aliexpress", "weak",
       _SOVETCLUB_EXTEND, _BIO_GUARD),
    _r("dispute.open_last_safe", 1, "days", "before", "protection_end", (0,), "aliexpress",
       "weak", _SOVETCLUB_EXTEND, _BIO_GUARD),
    _r("dispute.open_earliest", 11, "days", "after", "shipped_on", (0,), "aliexpress", "sourced",
       _HELP_2022, _YAHABIBATI, _ALIBILLING, _SSOP_35242),
    _r("dispute.open_last_after_protection", 15, "days", "after", "protection_end", (2, 0),
       "aliexpress", "sourced", _HELP_2022, _LOFT_CAFE, _ALIBILLING),
    _r("dispute.open_last_after_receipt", 15, "days", "after", "receipt_confirmed", (2, 0),
       "aliexpress", "sourced", _HELP_2022, _FULLSHINE, _ALIBILLING, _LOFT_CAFE),
    _r("dispute.seller_reply", 5, "days", "after", "dispute_opened", (0,), "aliexpress", "weak",
       _SSOP_35242, _REDMODE),
    _r("dispute.intervention", 7, "days", "after", "seller_answered", (0,), "aliexpress", "weak",
       _SSOP_19333, _VIWS),
    _r("return.ship", 10, "days", "after", "return_agreed", (2, 0), "aliexpress", "weak",
       _SSOP_19333, _CNJDPART),
    _r("dispute.appeal", 7, "days", "after", "decision_lost", (2, 0), "aliexpress", "weak",
       _HB2B),
    _r("refund.expected", 10, "working_days", "after", "decision_won", (0,), "aliexpress",
       "sourced", _FULLSHINE, _CNJDPART),
    _r("post.pickup", 15, "days", "after", "parcel_notice", (2, 0), "russian_post", "weak",
       _NEURUM_PARCELS, _RUSPOST_EU, _BAHETLE, _NEURUM_STORAGE),
    _r("post.pickup_max", 60, "days", "after", "parcel_notice", (), "russian_post", "weak",
       _NEURUM_STORAGE),
    _r("post.claim", 6, "months", "after", "posting_date", (7, 2, 0), "russian_post", "sourced",
       _UNITARMY, _OMNIVA),
    _r("chargeback.visa", 120, "days", "after", "transaction_or_expected_delivery", (7, 2, 0),
       "card", "sourced", _QUAVO, _JUSTT_VISA),
    _r("chargeback.mastercard", 120, "days", "after", "transaction_or_expected_delivery",
       (7, 2, 0), "card", "sourced", _JUSTT_MC, _MIDIGATOR, _PAYMENTSANDRISK),
    _r("chargeback.cap", 540, "days", "after", "transaction", (), "card", "sourced",
       _DISPUTIFIER, _VERIFI),
    _r("chargeback.mir", 0, "days", "after", "aliexpress_route_failed", (0,), "card", "unknown",
       _SHUPIKOV, _ALLCHARGEBACKS),
)  # fmt: skip


def _for_site(rule: Rule, site: str) -> Rule:
    """The rule as it holds on `site`: AliExpress numbers on .ru are unread, so unknown."""
    if site == "aliexpress.ru" and rule.scope == "aliexpress":
        return replace(rule, confidence="unknown", sources=(*rule.sources, RU_DISPUTE_AGREEMENT))
    return rule


def _freeze(by_site: Mapping[str, Mapping[str, Rule]], schedule: Schedule) -> Rules:
    """An immutable Rules from plain mappings."""
    frozen = {site: MappingProxyType(dict(rules)) for site, rules in by_site.items()}
    return Rules(MappingProxyType(frozen), schedule)


DEFAULT_RULES = _freeze(
    {site: {rule.key: _for_site(rule, site) for rule in TABLE} for site in SITES}, Schedule()
)


def load_rules(path: Path | None) -> Rules:
    """The default rules, with the operator's TOML overrides from `path` applied when given."""
    if path is None:
        return DEFAULT_RULES
    return _Overrides(str(path)).apply(_read_toml(path))


def _read_toml(path: Path) -> dict[str, Any]:
    """The parsed file, or a ValueError naming it."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ValueError(f"{path}: cannot read the rules file: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: not valid TOML: {error}") from error


_RULE_FIELDS = ("amount", "leads", "confidence", "sources")
_SCHEDULE_FIELDS = ("quiet_start", "quiet_end", "morning")


class _Overrides:
    """Applies one override file to the defaults; every error names the file and the key."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, where: str, problem: str) -> ValueError:
        """The one-line error the bot prints before it stops."""
        return ValueError(f"{self.origin}: {where}: {problem}")

    def apply(self, data: Mapping[str, Any]) -> Rules:
        """Defaults overridden by `data`: [schedule], [rules."key"], [sites."site"."key"]."""
        self.check_fields("", data, ("schedule", "rules", "sites"))
        by_site = {site: dict(rules) for site, rules in DEFAULT_RULES.by_site.items()}
        for key, fields in self.table("rules", data.get("rules", {})).items():
            for site in SITES:
                self.override(by_site[site], f"rules.{key}", key, fields)
        for site, rules in self.table("sites", data.get("sites", {})).items():
            if site not in SITES:
                raise self.fail(f"sites.{site}", f"unknown site, expected one of {SITES}")
            for key, fields in self.table(f"sites.{site}", rules).items():
                self.override(by_site[site], f"sites.{site}.{key}", key, fields)
        return _freeze(by_site, self.schedule(data.get("schedule", {})))

    def override(self, rules: dict[str, Rule], where: str, key: str, fields: Any) -> None:
        """Replace `rules[key]` by its overridden copy."""
        rules[key] = self.rule(where, rules.get(key), fields)

    def table(self, where: str, value: Any) -> dict[str, Any]:
        """`value` if it is a TOML table."""
        if not isinstance(value, dict):
            raise self.fail(where, "expected a table")
        return value

    def check_fields(self, where: str, table: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
        """Refuse any field not in `allowed`."""
        for name in table:
            if name not in allowed:
                place = f"{where}.{name}" if where else name
                raise self.fail(place, f"unknown key, expected one of {', '.join(allowed)}")

    def rule(self, where: str, rule: Rule | None, fields: Any) -> Rule:
        """`rule` with the fields the file sets."""
        if rule is None:
            raise self.fail(where, 'unknown rule key (quote dotted keys: [rules."protection.end"])')
        self.check_fields(where, self.table(where, fields), _RULE_FIELDS)
        changes: dict[str, Any] = {"origin": self.origin}
        if "amount" in fields:
            changes["amount"] = self.whole(f"{where}.amount", fields["amount"], MAX_AMOUNT)
        if "leads" in fields:
            changes["leads"] = self.leads(f"{where}.leads", fields["leads"])
        if "confidence" in fields:
            changes["confidence"] = self.confidence(f"{where}.confidence", fields["confidence"])
        if "sources" in fields:
            changes["sources"] = self.sources(f"{where}.sources", fields["sources"])
        return replace(rule, **changes)

    def whole(self, where: str, value: Any, top: int) -> int:
        """`value` if it is a whole number from 0 to `top`."""
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            raise self.fail(where, f"expected a whole number from 0 to {top}, got {value!r}")
        return value

    def leads(self, where: str, value: Any) -> tuple[int, ...]:
        """Distinct lead days, largest first."""
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list of whole days, got {value!r}")
        days = [self.whole(where, item, MAX_LEAD_DAYS) for item in value]
        if len(set(days)) != len(days):
            raise self.fail(where, f"lead days repeat: {value!r}")
        return tuple(sorted(days, reverse=True))

    def confidence(self, where: str, value: Any) -> Confidence:
        """`value` if it is a known confidence label."""
        if value not in CONFIDENCES:
            raise self.fail(where, f"expected one of {', '.join(CONFIDENCES)}, got {value!r}")
        return cast(Confidence, value)

    def sources(self, where: str, value: Any) -> tuple[str, ...]:
        """A non-empty list of source strings."""
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(item, str) and item.strip() for item in value)
        ):
            raise self.fail(where, f"expected a non-empty list of addresses, got {value!r}")
        return tuple(value)

    def schedule(self, fields: Any) -> Schedule:
        """The default schedule with the file's times; the morning must be outside quiet hours."""
        self.check_fields("schedule", self.table("schedule", fields), _SCHEDULE_FIELDS)
        times = {name: self.clock(f"schedule.{name}", fields[name]) for name in fields}
        schedule = replace(Schedule(), **times)
        if schedule.quiet_start == schedule.quiet_end:
            raise self.fail("schedule.quiet_end", "quiet hours start and end at the same time")
        if schedule.is_quiet(schedule.morning):
            raise self.fail("schedule.morning", "the morning hour falls inside the quiet hours")
        return schedule

    def clock(self, where: str, value: Any) -> time:
        """A local time given as "HH:MM" or as a TOML time."""
        if isinstance(value, time):
            return value
        if isinstance(value, str):
            with suppress(ValueError):
                return time.fromisoformat(value)
        raise self.fail(where, f'expected a time like "22:00", got {value!r}')
