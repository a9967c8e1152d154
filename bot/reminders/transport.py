"""An HTTP/1.1 transport for python-telegram-bot that commits before a request's last byte.

Telegram acts on a request once its body is complete. A reminder is marked "sending" in the
database while the request still lacks its last byte; only then is that byte written. A crash
before the commit leaves an incomplete request that the server drops (sent again later); a crash
after it leaves a row that says "sent". The only window left is between the commit returning and
one socket write.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from telegram._utils.defaultvalue import DefaultValue
from telegram.request import BaseRequest, RequestData

Hook = Callable[[], Awaitable[bool]]
After = Callable[[], Awaitable[None]]
MAX_HEADER_BYTES = 64 * 1024


@dataclass
class Ticket:
    """One guarded request: the commit before its last byte, the clean-up after, how far it got."""

    hook: Hook
    after: After | None = None
    committed: bool = False
    completed: bool = False


TICKET: ContextVar[Ticket | None] = ContextVar("reminder_ticket", default=None)


class ClaimLostError(Exception):
    """The hook refused: another dispatcher owns the reminder now; nothing was sent."""


@dataclass
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    idle_since: float = 0.0

    def usable(self, max_idle: float) -> bool:
        """Still open, nothing unread, and not idle so long that the server may drop it."""
        fresh = time.monotonic() - self.idle_since < max_idle
        return fresh and not self.writer.is_closing() and not self.reader.at_eof()

    def close(self) -> None:
        """Drop the connection."""
        with contextlib.suppress(Exception):
            self.writer.close()


class GuardedRequest(BaseRequest):
    """Keep-alive connections, url-encoded bodies, and the commit-before-last-byte guard."""

    def __init__(self, timeout: float = 10.0, pool_size: int = 8, max_idle: float = 20.0) -> None:
        self._timeout = timeout
        self._max_idle = max_idle
        self._idle: dict[tuple[str, int, bool], list[_Connection]] = {}
        self._slots = asyncio.Semaphore(pool_size)

    @property
    def read_timeout(self) -> float | None:
        return self._timeout

    async def initialize(self) -> None:
        """Nothing to open in advance."""

    async def shutdown(self) -> None:
        """Close every idle connection."""
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; with a Ticket set, run its hook before the body's last byte."""
        if request_data is not None and request_data.contains_files:
            raise ValueError("GuardedRequest sends no files")
        body = request_data.url_encoded_parameters().encode() if request_data else b""
        target = urlsplit(url)
        head = _head(method, target, len(body))
        ticket = TICKET.get()
        timeout = self._pick(read_timeout)
        async with self._slots:
            connection = await self._connect(target, self._pick(connect_timeout))
            try:
                await self._write(connection, head, body, ticket, self._pick(write_timeout))
                status, payload, keep = await asyncio.wait_for(_read(connection.reader), timeout)
            except BaseException:
                connection.close()
                raise
            self._release(target, connection, keep)
        return status, payload

    def _pick(self, value: Any) -> float | None:
        return self._timeout if isinstance(value, DefaultValue) else value

    async def _connect(self, target: Any, limit: float | None) -> _Connection:
        key = _key(target)
        idle = self._idle.get(key, [])
        while idle:
            connection = idle.pop()
            if connection.usable(self._max_idle):
                return connection
            connection.close()
        secure = target.scheme == "https"
        context = ssl.create_default_context() if secure else None
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(key[0], key[1], ssl=context), limit
        )
        return _Connection(reader, writer)

    async def _write(
        self,
        connection: _Connection,
        head: bytes,
        body: bytes,
        ticket: Ticket | None,
        limit: float | None,
    ) -> None:
        writer = connection.writer
        if ticket is None or not body:
            writer.write(head + body)
            await asyncio.wait_for(writer.drain(), limit)
            return
        writer.write(head + body[:-1])
        await asyncio.wait_for(writer.drain(), limit)
        if not await ticket.hook():
            raise ClaimLostError("the reminder was claimed by another dispatcher")
        ticket.committed = True
        # Nothing may run between the commit above and this write: no await in between.
        writer.write(body[-1:])
        ticket.completed = True
        if ticket.after is not None:
            await ticket.after()
        await asyncio.wait_for(writer.drain(), limit)

    def _release(self, target: Any, connection: _Connection, keep: bool) -> None:
        if not keep:
            connection.close()
            return
        connection.idle_since = time.monotonic()
        self._idle.setdefault(_key(target), []).append(connection)


def _key(target: Any) -> tuple[str, int, bool]:
    secure = target.scheme == "https"
    return target.hostname or "localhost", target.port or (443 if secure else 80), secure


def _head(method: str, target: Any, length: int) -> bytes:
    path = target.path or "/"
    if target.query:
        path += "?" + target.query
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {target.netloc}",
        "Connection: keep-alive",
        "Accept: application/json",
        f"User-Agent: {BaseRequest.USER_AGENT}",
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {length}",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _read(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body and whether the connection may be reused."""
    raw = await reader.readuntil(b"\r\n\r\n")
    if len(raw) > MAX_HEADER_BYTES:
        raise ConnectionError("response headers too long")
    lines = raw.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name:
            headers[name.strip().lower()] = value.strip()
    keep = headers.get("connection", "").lower() != "close" and lines[0].startswith("HTTP/1.1")
    if headers.get("transfer-encoding", "").lower() == "chunked":
        return status, await _chunked(reader), keep
    if "content-length" in headers:
        return status, await reader.readexactly(int(headers["content-length"])), keep
    return status, await reader.read(), False


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)
