"""AliExpress product links in the shapes buyers paste them, and the links that are refused."""

from __future__ import annotations

from datetime import date

import pytest

from flows.errors import ParseError
from flows.links import parse_product_link, product_link

ID = "1005006123456789"
COM = f"https://www.aliexpress.com/item/{ID}.html"
RU = f"https://aliexpress.ru/item/{ID}.html"
SHARE = "https://a.aliexpress.com/_mKzXyZ1"
CLICK = "https://s.click.aliexpress.com/e/_DmAbCd1"
ORDER_PAGE = "https://www.aliexpress.com/p/order/detail.html?orderId=8123456789012345"
OTHER = "https://www.aliexpress.com/item/1005006999999999.html"


@pytest.mark.parametrize(
    ("text", "url", "item_id", "site"),
    [
        (f"https://www.aliexpress.com/item/{ID}.html", COM, ID, "com"),
        (f"http://www.aliexpress.com/item/{ID}.html", COM, ID, "com"),
        (f"https://aliexpress.com/item/{ID}.html", COM, ID, "com"),
        (f"https://m.aliexpress.com/item/{ID}.html", COM, ID, "com"),
        (f"https://aliexpress.com/i/{ID}.html", COM, ID, "com"),
        (f"https://pt.aliexpress.com/item/{ID}.html", COM, ID, "com"),
        (f"https://es.aliexpress.com/item/{ID}.html#nav-review", COM, ID, "com"),
        (f"https://ALIEXPRESS.COM/item/{ID}.html", COM, ID, "com"),
        (f"https://aliexpress.ru/item/{ID}.html?sku_id=12000036788456123", RU, ID, "ru"),
        (f"https://m.aliexpress.ru/item/{ID}.html", RU, ID, "ru"),
        (f"aliexpress.ru/item/{ID}.html", RU, ID, "ru"),
        (f"www.aliexpress.com/item/{ID}.html", COM, ID, "com"),
        (
            "https://www.aliexpress.us/item/3256805123456789.html",
            "https://www.aliexpress.us/item/3256805123456789.html",
            "3256805123456789",
            "us",
        ),
        (
            f"https://www.aliexpress.com/item/{ID}.html?spm=a2g0o.order_list.0.0.21ef1802"
            "&gatewayAdapt=glo2rus&sk=_dTxyZ1&aff_platform=link-c-tool",
            COM,
            ID,
            "com",
        ),
        (
            "https://www.aliexpress.com/item/Phone-case-for-iPhone/32812345678.html",
            "https://www.aliexpress.com/item/32812345678.html",
            "32812345678",
            "com",
        ),
        (
            "https://ru.aliexpress.com/store/product/Case/1234567_32812345678.html?spm=2114",
            "https://www.aliexpress.com/item/32812345678.html",
            "32812345678",
            "com",
        ),
        (
            "https://www.aliexpress.com/item/4000123456789.html",
            "https://www.aliexpress.com/item/4000123456789.html",
            "4000123456789",
            "com",
        ),
        (
            f"https://m.aliexpress.com/app/detail.html?productId={ID}&spm=1",
            COM,
            ID,
            "com",
        ),
    ],
)
def test_product_links(text: str, url: str, item_id: str, site: str) -> None:
    assert parse_product_link(text) == {"url": url, "item_id": item_id, "site": site}


@pytest.mark.parametrize(
    ("text", "url", "site"),
    [
        (SHARE, SHARE, "com"),
        (f"{SHARE}?spm=x&sk=y", SHARE, "com"),
        (CLICK, CLICK, "com"),
        (
            "https://sl.aliexpress.ru/p?key=AbC123xyz&utm_source=share",
            "https://sl.aliexpress.ru/p?key=AbC123xyz",
            "ru",
        ),
    ],
)
def test_share_links_are_kept_without_an_item_id(text: str, url: str, site: str) -> None:
    assert parse_product_link(text) == {"url": url, "item_id": None, "site": site}


@pytest.mark.parametrize(
    ("text", "url", "item_id"),
    [
        (
            "Смотрите, что я нашёл на AliExpress! https://a.aliexpress.com/_mKzXyZ1 "
            "Смартфон 256 ГБ, 5G",
            "https://a.aliexpress.com/_mKzXyZ1",
            None,
        ),
        (
            f"Вот ссылка: {COM}?spm=a2g0o.detail.0.0&gatewayAdapt=glo2rus.",
            COM,
            ID,
        ),
        (f"Товар ({RU}), продавец обманывает", RU, ID),
        (f"Ссылка:\n{RU}\nСкрин прилагаю", RU, ID),
        (f"{COM} {COM}?spm=same", COM, ID),
        (f"https://ozon.ru/product/1 и вот на али: {COM}", COM, ID),
    ],
)
def test_links_inside_pasted_text(text: str, url: str, item_id: str | None) -> None:
    found = parse_product_link(text)
    assert (found["url"], found["item_id"]) == (url, item_id)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "report.parse.no_link"),
        ("продавец прислал подделку", "report.parse.no_link"),
        (ID, "report.parse.no_link"),
        ("https://www.ozon.ru/product/smartfon-123456789/", "report.parse.not_aliexpress"),
        ("https://www.wildberries.ru/catalog/123456789/detail.aspx", "report.parse.not_aliexpress"),
        (f"https://aliexpress.com.evil.ru/item/{ID}.html", "report.parse.not_aliexpress"),
        ("http://aliexpress-sale.top/item/1005006123456789.html", "report.parse.not_aliexpress"),
        (f"https://aliexpress.com@evil.ru/item/{ID}.html", "report.parse.not_aliexpress"),
        (f"https://evil.ru/www.aliexpress.com/item/{ID}.html", "report.parse.not_aliexpress"),
        (f"https://xn--aliexpres-7ib.com/item/{ID}.html", "report.parse.not_aliexpress"),
        (f"https://аliexpress.com/item/{ID}.html", "report.parse.not_aliexpress"),
        (f"https://myaliexpress.com/item/{ID}.html", "report.parse.not_aliexpress"),
        ("https://www.aliexpress.com/store/1101234567", "report.parse.store_link"),
        ("https://aliexpress.ru/store/1101234567?spm=a2g2w", "report.parse.store_link"),
        (ORDER_PAGE, "report.parse.order_link"),
        ("https://www.aliexpress.com/", "report.parse.not_item"),
        ("https://www.aliexpress.com/w/wholesale-phone.html", "report.parse.not_item"),
        ("https://a.aliexpress.com/", "report.parse.not_item"),
        ("https://aliexpress.ru/item/123.html", "report.parse.bad_item_id"),
        ("https://aliexpress.ru/item/10050061234567890123.html", "report.parse.bad_item_id"),
        (f"{COM} {OTHER}", "report.parse.several_links"),
    ],
)
def test_refused(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_product_link(text)
    assert caught.value.code == code


def test_the_refusal_names_the_foreign_host() -> None:
    with pytest.raises(ParseError) as caught:
        parse_product_link(f"https://aliexpress.com.evil.ru/item/{ID}.html?spm=1")
    assert caught.value.params == {"host": "aliexpress.com.evil.ru"}


def test_the_flow_parser_shape() -> None:
    assert product_link(COM, date(2024, 7, 27))["item_id"] == ID


def test_stored_links_are_json_native_and_clean() -> None:
    found = parse_product_link(f"{RU}?sku_id=1&spm=a2g2w&gatewayAdapt=glo2rus&sk=x")
    assert all(isinstance(v, str) for v in found.values())
    assert "?" not in found["url"] and "spm" not in found["url"]
