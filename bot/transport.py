"""The Bot API's HTTP client: python-telegram-bot's BaseRequest on aiohttp instead of httpx.

A profile of the flow benchmark put a quarter of the bot's CPU in httpx, httpcore and PTB's
HTTPXRequest; aiohttp's C-accelerated HTTP parser and leaner request path do the same work for
less (bench/RESULTS.md). BaseRequest turns the (status, body) returned here into PTB's
exceptions (RetryAfter, Forbidden, BadRequest ...); this class maps only what never yields a
status, timeouts and connection failures, as HTTPXRequest does.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

Timeout = float | None
# HTTPXRequest's words, so that a full pool reads the same in the log whatever the transport.
POOL_TIMEOUT = (
    "Pool timeout: All connections in the connection pool are occupied. Request was *not* sent "
    "to Telegram. Consider adjusting the connection pool size or the pool timeout."
)


class AiohttpRequest(BaseRequest):
    """Keep-alive connections to the Bot API through one aiohttp session per request object."""

    __slots__ = (
        "_connect",
        "_media_write",
        "_pool",
        "_pool_size",
        "_proxies",
        "_read",
        "_session",
        "_slots",
        "_write",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: Timeout = 5.0,
        write_timeout: Timeout = 5.0,
        connect_timeout: Timeout = 5.0,
        pool_timeout: Timeout = 1.0,
        media_write_timeout: Timeout = 20.0,
    ) -> None:
        """The defaults are HTTPXRequest's, so that swapping the transport keeps every limit."""
        self._pool_size = connection_pool_size
        self._read, self._write = read_timeout, write_timeout
        self._connect, self._pool = connect_timeout, pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._slots: asyncio.Semaphore | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> Timeout:
        return self._read

    async def initialize(self) -> None:
        """aiohttp binds a session to the running loop, so it is made here, not in __init__."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            headers = {"User-Agent": self.USER_AGENT}
            self._session = aiohttp.ClientSession(connector=connector, headers=headers)
            self._slots = asyncio.Semaphore(self._pool_size)

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        timeout = client_timeout(
            _given(read_timeout, self._read),
            _given(write_timeout, self._media_write if files else self._write),
            _given(connect_timeout, self._connect),
        )
        body, headers = encode_body(request_data)
        proxy = self._proxy_for(url)
        async with self._connection_slot(_given(pool_timeout, self._pool)):
            try:
                async with session.request(
                    method, url, data=body, headers=headers, timeout=timeout, proxy=proxy
                ) as response:
                    return response.status, await response.read()
            except TimeoutError as error:  # aiohttp's own timeouts subclass it
                raise TimedOut from error
            except aiohttp.ClientError as error:
                raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def _proxy_for(self, url: str) -> str | None:
        """The proxy the environment names for url's server, looked up once per server.

        httpx, and so PTB's default, honours HTTPS_PROXY, ALL_PROXY and NO_PROXY; aiohttp's own
        trust_env would read them, and ~/.netrc, in a thread on every request.
        """
        origin = urlsplit(url)[:2]
        if origin not in self._proxies:
            self._proxies[origin] = env_proxy(url)
        return self._proxies[origin]

    @asynccontextmanager
    async def _connection_slot(self, pool_timeout: Timeout) -> AsyncIterator[None]:
        """Wait at most pool_timeout for a free connection, as httpx's pool does.

        aiohttp's own `connect` timeout lumps that wait together with opening the connection.
        """
        assert self._slots is not None
        try:
            async with asyncio.timeout(pool_timeout if self._slots.locked() else None):
                await self._slots.acquire()
        except TimeoutError as error:
            raise TimedOut(POOL_TIMEOUT) from error
        try:
            yield
        finally:
            self._slots.release()


def client_timeout(read: Timeout, write: Timeout, connect: Timeout) -> aiohttp.ClientTimeout:
    """PTB's timeouts in aiohttp's terms.

    aiohttp starts its read timer once the request is written and has no write timeout of its
    own: `total`, the sum of the three, bounds a request whose upload stalls.
    """
    total = None if read is None or write is None or connect is None else read + write + connect
    return aiohttp.ClientTimeout(total=total, connect=connect, sock_connect=connect, sock_read=read)


def encode_body(request_data: RequestData | None) -> tuple[Any, dict[str, str]]:
    """JSON, or multipart when files go up, as the Bot API takes them.

    HTTPXRequest sends a url-encoded form instead: percent-encoding a long Russian text in pure
    Python cost a dispute text a third of a millisecond, json's C encoder a tenth of that.
    """
    if request_data is None:
        return None, {}
    files = request_data.multipart_data
    if not files:
        body = json.dumps(request_data.parameters, ensure_ascii=False).encode()
        return body, {"Content-Type": "application/json"}
    # quote_fields=False: file names go raw in UTF-8, as httpx sends them, not %-encoded.
    data = aiohttp.FormData(quote_fields=False)
    for name, value in request_data.json_parameters.items():
        data.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        data.add_field(name, content, filename=filename, content_type=mimetype)
    return data, {}


def env_proxy(url: str) -> str | None:
    """The proxy that HTTP(S)_PROXY or ALL_PROXY name for url, unless NO_PROXY exempts it."""
    parts = urlsplit(url)
    proxies = getproxies()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if proxy is None or (parts.hostname is not None and proxy_bypass(parts.hostname)):
        return None
    return proxy


def _given(value: ODVInput[float], default: Timeout) -> Timeout:
    return default if isinstance(value, DefaultValue) else value


def install_event_loop() -> None:
    """uvloop for every loop made from now on (`yabeda run`, the shell), where it is installed.

    With aiohttp on it, the flow bot spends about a third less CPU per update than on httpx
    and asyncio's own loop; neither change alone saves half of that (bench/RESULTS.md).
    """
    try:
        import uvloop
    except ImportError:  # Windows: no uvloop build, asyncio's loop serves
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
