"""A fake translation server on 127.0.0.1 for tests and benchmarks.

It speaks what deep-translator's real HTTP code sends and parses: Google's mobile page
(GET ?sl=&tl=&q=, answer in <div class="result-container">), MyMemory's JSON API
(GET ?q=&langpair=), LibreTranslate's POST /translate, DeepL's POST /v2/translate and Yandex's
POST tr.json/translate (API v1.5). The path
does not matter: the protocol is told by the parameters, so one TRANSLATOR_URL serves any chain.

It "translates" deterministically: known Russian words from a small table, other Cyrillic words
transliterated, everything else kept, and "[en] " in front of each answer, so a test can count
the pieces and check their order. Modes switch it into the failures real providers show.
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
from dataclasses import dataclass
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

MARKER = "[en] "

WORDS = {
    "заказ": "order",
    "заказа": "order",
    "посылка": "parcel",
    "посылку": "parcel",
    "пришла": "arrived",
    "пустая": "empty",
    "вес": "weight",
    "весила": "weighed",
    "трек": "tracking",
    "номер": "number",
    "предложение": "sentence",
    "товар": "item",
    "не": "not",
    "работает": "works",
    "продавец": "seller",
    "отвечает": "answers",
    "купил": "bought",
    "карта": "card",
    "и": "and",
    "от": "of",
    "г": "g",
    "кг": "kg",
}
_LATIN = "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya"
_TRANSLIT = {
    cyrillic: latin.strip("_")
    for cyrillic, latin in zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", _LATIN.split(" "), strict=True)
}
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+")
_SLOT = re.compile(r"\[(\d+)\]")


class Mode(StrEnum):
    """How the fake answers."""

    UP = "up"
    DOWN = "down"  # 503 with an HTML error page
    SLOW = "slow"  # answers correctly, after slow_delay seconds
    RATE_LIMITED = "429"  # with Retry-After when retry_after is set
    ERROR = "500"
    HTML = "html"  # 200 with a captcha-like HTML page instead of the answer
    EMPTY = "empty"  # 200 with an empty translation in the protocol's own shape
    QUOTA = "quota"  # MyMemory's "MYMEMORY WARNING" as the translation; 429 for the others
    MANGLE = "mangle"  # drops the brackets of placeholders: "[3]" becomes "3"
    SPACED = "spaced"  # pads placeholders ("[ 3 ]") and upper-cases the words


@dataclass(frozen=True)
class Seen:
    """One request the fake received."""

    protocol: str
    text: str
    mode: Mode


def fake_translate(text: str) -> str:
    """The fake's deterministic "translation" of one piece."""
    return MARKER + _CYRILLIC_WORD.sub(lambda match: _word(match.group(0)), text)


def _word(word: str) -> str:
    english = WORDS.get(word.lower()) or "".join(_TRANSLIT.get(c, c) for c in word.lower())
    return english.capitalize() if word[0].isupper() else english


class FakeTranslationServer:
    """The server, in a thread of its own; `stop()` refuses connections, `start()` comes back."""

    def __init__(self, *, latency: float = 0.0, slow_delay: float = 2.0) -> None:
        self.latency = latency
        self.slow_delay = slow_delay
        self.retry_after: str | None = None
        self.seen: list[Seen] = []
        self._modes: dict[str, tuple[Mode, int | None]] = {}
        self._lock = threading.Lock()
        self._port = 0
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """Base URL to give as TRANSLATOR_URL."""
        return f"http://127.0.0.1:{self._port}/"

    @property
    def listening(self) -> bool:
        return self._server is not None

    def start(self) -> FakeTranslationServer:
        """Listen (again, on the same port once it had one)."""
        server = ThreadingHTTPServer(("127.0.0.1", self._port), _handler_for(self))
        server.daemon_threads = True
        self._port = server.server_address[1]
        self._server = server
        # A short poll keeps stop() quick: shutdown() waits for the loop's next poll.
        serve = threading.Thread(
            target=server.serve_forever, args=(0.02,), name="fake-translator", daemon=True
        )
        serve.start()
        return self

    def stop(self) -> None:
        """Stop listening: clients now get "connection refused"."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def set_mode(self, mode: Mode, *, protocol: str = "*", times: int | None = None) -> None:
        """Answer in `mode` (for one protocol or all), for the next `times` requests or for good."""
        with self._lock:
            self._modes[protocol] = (mode, times)

    def count(self, protocol: str | None = None) -> int:
        """Requests received, for one protocol or all."""
        return sum(1 for seen in self.seen if protocol in (None, seen.protocol))

    def reset(self) -> None:
        """Back to UP for all, with no requests counted."""
        with self._lock:
            self._modes.clear()
            self.seen.clear()

    def __enter__(self) -> FakeTranslationServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def _take_mode(self, protocol: str, text: str) -> Mode:
        with self._lock:
            slot = protocol if protocol in self._modes else "*"
            mode, times = self._modes.get(slot, (Mode.UP, None))
            if times is not None:
                self._modes[slot] = (mode, times - 1) if times > 1 else (Mode.UP, None)
            self.seen.append(Seen(protocol, text, mode))
            return mode


def _handler_for(fake: FakeTranslationServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        server_fake = fake

    return Handler


class _Handler(BaseHTTPRequestHandler):
    server_fake: FakeTranslationServer

    def do_GET(self) -> None:
        self._serve(_params(self.path, b"", ""))

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._serve(_params(self.path, body, self.headers.get("Content-Type", "")))

    def log_message(self, format: str, *args: object) -> None:
        pass  # the test output is no place for an access log

    def _serve(self, params: dict[str, str]) -> None:
        protocol = _protocol(self.command, params, self.headers.get("Authorization", ""))
        if protocol is None:
            self._send(404, "text/plain", "unknown protocol")
            return
        text = params.get("text" if protocol in ("deepl", "yandex") else "q", "")
        fake = self.server_fake
        mode = fake._take_mode(protocol, text)
        time.sleep(fake.latency + (fake.slow_delay if mode is Mode.SLOW else 0.0))
        status, content_type, body = _answer(protocol, mode, text)
        headers = {"Retry-After": fake.retry_after} if status == 429 and fake.retry_after else {}
        self._send(status, content_type, body, headers)

    def _send(
        self, status: int, content_type: str, body: str, headers: dict[str, str] | None = None
    ) -> None:
        data = body.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type + "; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout): nothing to answer


def _params(path: str, body: bytes, content_type: str) -> dict[str, str]:
    params = {key: values[0] for key, values in parse_qs(urlsplit(path).query).items()}
    if body and "json" in content_type:
        params.update({key: str(value) for key, value in json.loads(body).items()})
    elif body:
        params.update({k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()})
    return params


def _protocol(method: str, params: dict[str, str], authorization: str) -> str | None:
    if method == "GET" and "langpair" in params:
        return "mymemory"
    if method == "GET" and "tl" in params and "q" in params:
        return "google"
    if method == "POST" and authorization.startswith("DeepL-Auth-Key") and "text" in params:
        return "deepl"
    if method == "POST" and "lang" in params and "text" in params:
        return "yandex"
    if method == "POST" and "q" in params:
        return "libre"
    return None


def _answer(protocol: str, mode: Mode, text: str) -> tuple[int, str, str]:
    failure = _failure(protocol, mode)
    if failure is not None:
        return failure
    if mode is Mode.EMPTY:
        translation = ""
    elif mode is Mode.QUOTA:
        translation = (
            "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY. NEXT AVAILABLE"
            " IN  10 HOURS 03 MINUTES 25 SECONDS VISIT HTTPS://MYMEMORY.TRANSLATED.NET/DOC/"
            "USAGELIMITS.PHP TO TRANSLATE MORE"
        )
    else:
        translation = _quirk(mode, fake_translate(text))
    return _success(protocol, translation, quota=mode is Mode.QUOTA)


def _failure(protocol: str, mode: Mode) -> tuple[int, str, str] | None:
    page = "<!DOCTYPE html><html><head><title>Error</title></head><body>{}</body></html>"
    if mode is Mode.DOWN:
        return 503, "text/html", page.format("Service Unavailable")
    if mode is Mode.ERROR:
        return 500, "text/html", page.format("Internal Server Error")
    if mode is Mode.RATE_LIMITED or (mode is Mode.QUOTA and protocol != "mymemory"):
        return 429, "text/html", page.format("Too Many Requests")
    if mode is Mode.HTML:
        return 200, "text/html", page.format("Our systems have detected unusual traffic")
    return None


def _quirk(mode: Mode, translation: str) -> str:
    if mode is Mode.MANGLE:
        return _SLOT.sub(r"\1", translation)
    if mode is Mode.SPACED:
        return _SLOT.sub(r"[ \1 ]", translation).upper()
    return translation


def _success(protocol: str, translation: str, *, quota: bool) -> tuple[int, str, str]:
    if protocol == "google":
        page = (
            "<!DOCTYPE html><html><head><title>Google Translate</title></head><body>"
            '<div class="result-container">{}</div></body></html>'
        )
        return 200, "text/html", page.format(html.escape(translation))
    if protocol == "mymemory":
        body = {
            "responseData": {"translatedText": translation, "match": 0.85},
            "quotaFinished": quota,
            "responseDetails": "",
            "responseStatus": 429 if quota else 200,
            "matches": [],
        }
    elif protocol == "deepl":
        body = {"translations": [{"detected_source_language": "RU", "text": translation}]}
    elif protocol == "yandex":
        body = {"code": 200, "lang": "ru-en", "text": [translation]}
    else:
        body = {"translatedText": translation}
    return 200, "application/json", json.dumps(body, ensure_ascii=False)
