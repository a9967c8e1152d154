"""AliExpress product links: found in pasted text, checked, reduced to a clean canonical link."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import SplitResult, parse_qs, urlsplit

from flows.errors import ParseError
from flows.parsers.normalize import clean

# The registered domains AliExpress serves buyers from; every other host is refused.
SITES = {"aliexpress.com": "com", "aliexpress.ru": "ru", "aliexpress.us": "us"}
CANONICAL = {
    "com": "https://www.aliexpress.com/item/{id}.html",
    "ru": "https://aliexpress.ru/item/{id}.html",
    "us": "https://www.aliexpress.us/item/{id}.html",
}
# Current ids are 16 digits (1005...), 2019-2020 ones 13 (4000...), older ones 9 to 12.
ITEM_ID = re.compile(r"[1-9]\d{8,15}")
_DIGITS = re.compile(r"\d+")

# A link with a scheme, a www. link, or a bare host followed by a path.
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'«»]+|\b[a-z0-9][a-z0-9.-]*\.[a-z]{2,}/[^\s<>\"'«»]*",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}…"
# Item pages: /item/<id>.html, /i/<id>.html, and the older /item/<slug>/<id>.html and
# /store/product/<slug>/<store>_<id>.html.
_ITEM_PATH = re.compile(
    r"^/(?:s/)?(?:item|i|store/product)(?:/[^/]+)*/(?:\d+_)?(\d+)(?:\.html?)?/?$", re.IGNORECASE
)
_STORE_PATH = re.compile(r"^/store/(?!product/)", re.IGNORECASE)
_ORDER_PATH = re.compile(r"order", re.IGNORECASE)
_ID_PARAMS = ("productId", "productid", "itemId", "itemid")
# Share links from the app and the affiliate redirector: the item id is not in them.
# Shapes seen in shared links [G]: a.aliexpress.com/_X, s.click.aliexpress.com/e/_X,
# sl.aliexpress.ru/p?key=X.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{3,64}$")
_SHORT = {
    "a": re.compile(r"^/_[A-Za-z0-9]+/?$"),
    "s.click": re.compile(r"^/e/_[A-Za-z0-9]+/?$"),
    "click": re.compile(r"^/e/_[A-Za-z0-9]+/?$"),
    "sl": re.compile(r"^/p/?$"),
}


def parse_product_link(text: str) -> dict[str, Any]:
    """The first AliExpress product link in the text: canonical url, item id (or None), site."""
    candidates = [_trim(found) for found in _URL.findall(clean(text))]
    if not candidates:
        raise ParseError("report.parse.no_link")
    links = [(raw, parts) for raw in candidates if (parts := _split(raw)) is not None]
    ours = [(raw, parts, site) for raw, parts in links if (site := _site(parts)) is not None]
    if not ours:
        host = links[0][1].hostname if links else candidates[0]
        raise ParseError("report.parse.not_aliexpress", host=host or candidates[0])
    found, errors = _products(ours)
    if not found:
        raise errors[0]
    if len({link["url"] for link in found}) > 1:
        raise ParseError("report.parse.several_links")
    return found[0]


def product_link(raw: str, _today: date) -> dict[str, Any]:
    """The flow's parser shape for a product link."""
    return parse_product_link(raw)


def _products(
    links: list[tuple[str, SplitResult, str]],
) -> tuple[list[dict[str, Any]], list[ParseError]]:
    """The product links among AliExpress links, and why the others are not product links."""
    found: list[dict[str, Any]] = []
    errors: list[ParseError] = []
    for _, parts, site in links:
        try:
            found.append(_product(parts, site))
        except ParseError as error:
            errors.append(error)
    return found, errors


def _trim(found: str) -> str:
    return found.rstrip(_TRAILING)


def _split(raw: str) -> SplitResult | None:
    url = raw if re.match(r"https?://", raw, re.IGNORECASE) else "https://" + raw
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    return parts if parts.hostname else None


def _site(parts: SplitResult) -> str | None:
    """The site (com, ru or us) of a host on AliExpress's own domains; look-alikes get None."""
    host = (parts.hostname or "").rstrip(".")
    if parts.username is not None or not host.isascii():
        return None
    for domain, site in SITES.items():
        if host == domain or host.endswith("." + domain):
            return site
    return None


def _subdomain(parts: SplitResult, site: str) -> str:
    host = (parts.hostname or "").rstrip(".")
    domain = next(d for d, s in SITES.items() if s == site)
    return host[: -len(domain)].rstrip(".")


def _product(parts: SplitResult, site: str) -> dict[str, Any]:
    short = _SHORT.get(_subdomain(parts, site))
    if short is not None and short.match(parts.path):
        return {"url": _short_url(parts), "item_id": None, "site": site}
    item_id = _item_id(parts)
    return {"url": CANONICAL[site].format(id=item_id), "item_id": item_id, "site": site}


def _short_url(parts: SplitResult) -> str:
    """A share link without tracking; sl.aliexpress.ru keeps the `key` it cannot work without."""
    base = f"https://{(parts.hostname or '').rstrip('.')}{parts.path.rstrip('/')}"
    if parts.path.rstrip("/") != "/p":
        return base
    keys = [k for k in parse_qs(parts.query).get("key", []) if _TOKEN.match(k)]
    if not keys:
        raise ParseError("report.parse.not_item")
    return f"{base}?key={keys[0]}"


def _item_id(parts: SplitResult) -> str:
    match = _ITEM_PATH.match(parts.path)
    raw = match[1] if match else _id_param(parts.query)
    if raw is None:
        raise ParseError(_not_item_code(parts))
    if not ITEM_ID.fullmatch(raw):
        raise ParseError("report.parse.bad_item_id", item_id=raw)
    return raw


def _id_param(query: str) -> str | None:
    params = parse_qs(query)
    for name in _ID_PARAMS:
        for value in params.get(name, []):
            if _DIGITS.fullmatch(value):
                return value
    return None


def _not_item_code(parts: SplitResult) -> str:
    if _STORE_PATH.match(parts.path):
        return "report.parse.store_link"
    if _ORDER_PATH.search(parts.path) or "orderId" in parts.query:
        return "report.parse.order_link"
    return "report.parse.not_item"
