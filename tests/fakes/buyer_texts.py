"""A buyer's text with every kind of protected token, and those tokens in order."""

BUYER_TEXT = (
    "Заказ 8123456789012345 от 27.07.2024, трек RA123456789CN. Купил Xiaomi Redmi Note 12 Pro "
    "и iPhone 15, карта SD не читается. Вес 508 г, а не 0,508 кг. Оплатил $25.90 и 12 168,71 руб. "
    "Ссылка https://aliexpress.ru/item/1005006.html, почта ivan.petrov@mail.ru, в 14:30."
)
TOKENS = (
    "8123456789012345", "27.07.2024", "RA123456789CN", "Xiaomi Redmi Note 12 Pro", "iPhone 15",
    "SD", "508", "0,508", "$25.90", "12 168,71", "https://aliexpress.ru/item/1005006.html",
    "ivan.petrov@mail.ru", "14:30",
)  # fmt: skip
