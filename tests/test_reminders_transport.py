"""The guarded transport: the hook runs while the server still lacks the request's last byte."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import NetworkError

from bot.reminders.transport import TICKET, ClaimLostError, GuardedRequest, Ticket

TOKEN = "123:abc"


class Server:
    """A bare HTTP server that records how many body bytes it holds at each moment."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.complete = 0
        self.connections = 0
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            length = int(
                next(
                    line.split(b":")[1]
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
            )
            body = b""
            while len(body) < length:
                chunk = await reader.read(length - len(body))
                if not chunk:
                    writer.close()
                    return
                body += chunk
                self.received.append(body)
            self.complete += 1
            answer = (
                b'{"ok":true,"result":{"message_id":7,"date":0,'
                b'"chat":{"id":5,"type":"private"},"text":"hi"}}'
            )
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(answer)}\r\n\r\n".encode()
                + answer
            )
            await writer.drain()


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    srv = Server()
    await srv.start()
    yield srv
    await srv.stop()


def _bot(server: Server) -> Bot:
    return Bot(
        TOKEN,
        base_url=f"http://127.0.0.1:{server.port}/bot",
        request=GuardedRequest(timeout=5),
        get_updates_request=GuardedRequest(timeout=5),
    )


async def test_the_hook_runs_before_the_last_byte_and_then_the_request_completes(
    server: Server,
) -> None:
    seen: list[int] = []

    async def hook() -> bool:
        await asyncio.sleep(0.05)
        seen.append(server.complete)
        return True

    TICKET.set(ticket := Ticket(hook))
    message = await _bot(server).send_message(5, "hi")
    assert message.message_id == 7
    assert seen == [0]
    assert server.complete == 1
    assert ticket.committed and ticket.completed
    # The server held all but one byte while the hook ran.
    assert len(server.received[-1]) - len(server.received[-2]) == 1


async def test_a_refusing_hook_leaves_the_request_incomplete(server: Server) -> None:
    async def hook() -> bool:
        return False

    TICKET.set(ticket := Ticket(hook))
    with pytest.raises(NetworkError) as caught:
        await _bot(server).send_message(5, "hi")
    assert isinstance(caught.value.__cause__, ClaimLostError)
    await asyncio.sleep(0.05)
    assert server.complete == 0
    assert not ticket.committed


async def test_connections_are_reused(server: Server) -> None:
    bot = _bot(server)
    for _ in range(3):
        await bot.send_message(5, "hi")
    assert server.complete == 3
    assert server.connections == 1
