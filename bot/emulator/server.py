"""The HTTP face: Bot API calls under /bot<token>/<method>, files under /file/bot<token>/."""

from __future__ import annotations

import asyncio
import json
import mimetypes
import re
from collections.abc import Awaitable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from tornado import httputil
from tornado.web import Application, RequestHandler

from bot.emulator.errors import ApiError, not_found
from bot.emulator.params import Params, Upload
from bot.emulator.pipeline import NO_ANSWER, run_call
from bot.emulator.state import EmulatorState

_API_PATH = re.compile(r"^/bot([^/]+)/([A-Za-z]+)/?$")
_JSON = "application/json"
_FORM = "application/x-www-form-urlencoded"


def encode(body: Any) -> bytes:
    """JSON as Telegram sends it: UTF-8, compact."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def read_params(content_type: str, body: bytes, query: str) -> Params:
    """Parameters from the query string and a form, multipart or JSON body."""
    values: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True)) if query else {}
    uploads: dict[str, Upload] = {}
    if not body:
        return Params(values)
    if content_type.startswith(_FORM):
        values |= parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    elif content_type.startswith(_JSON):
        values |= Params.from_json_body(body)
    else:
        arguments: dict[str, list[bytes]] = {}
        files: dict[str, list[httputil.HTTPFile]] = {}
        httputil.parse_body_arguments(content_type, body, arguments, files)
        values |= {name: parts[-1].decode("utf-8", "replace") for name, parts in arguments.items()}
        uploads = {
            name: Upload(parts[0].filename, parts[0].body, parts[0].content_type)
            for name, parts in files.items()
        }
    return Params(values, uploads)


class BotApiServer(httputil.HTTPServerConnectionDelegate):
    """Serves Bot API calls without tornado.web's per-request machinery, which costs latency.

    Other paths (files, the control API) go to a tornado.web Application.
    """

    def __init__(self, state: EmulatorState, web: Application) -> None:
        self.state = state
        self.web = web
        self.exchanges: set[asyncio.Task[None]] = set()

    def start_request(
        self, server_conn: object, request_conn: httputil.HTTPConnection
    ) -> httputil.HTTPMessageDelegate:
        """One exchange per request."""
        return _ApiExchange(self, server_conn, request_conn)

    async def drain(self, seconds: float) -> None:
        """Wait (a bounded time) for running calls to write their answers."""
        if self.exchanges:
            await asyncio.wait(set(self.exchanges), timeout=seconds)


class _ApiExchange(httputil.HTTPMessageDelegate):
    """One Bot API request and its answer."""

    def __init__(
        self, server: BotApiServer, server_conn: object, connection: httputil.HTTPConnection
    ) -> None:
        self._server = server
        self._server_conn = server_conn
        self._connection = connection
        self._web: httputil.HTTPMessageDelegate | None = None
        self._chunks: list[bytes] = []
        self._path = ""
        self._content_type = ""
        self._disconnected = asyncio.Event()

    def headers_received(
        self,
        start_line: httputil.RequestStartLine | httputil.ResponseStartLine,
        headers: httputil.HTTPHeaders,
    ) -> Awaitable[None] | None:
        """Keep the path and the body's type, or hand a non-API request to tornado.web."""
        assert isinstance(start_line, httputil.RequestStartLine)
        if not start_line.path.startswith("/bot"):
            self._web = self._server.web.start_request(self._server_conn, self._connection)
            return self._web.headers_received(start_line, headers)
        self._path = start_line.path
        self._content_type = headers.get("Content-Type", "")
        return None

    def data_received(self, chunk: bytes) -> Awaitable[None] | None:
        """Collect the body."""
        if self._web is not None:
            return self._web.data_received(chunk)
        self._chunks.append(chunk)
        return None

    def finish(self) -> None:
        """The request is complete: answer it in a task, so the loop keeps serving."""
        if self._web is not None:
            self._web.finish()
            return
        task = asyncio.get_running_loop().create_task(self._respond())
        self._server.exchanges.add(task)
        task.add_done_callback(self._server.exchanges.discard)

    def on_connection_close(self) -> None:
        """The client went away (a cancelled long poll): release its wait."""
        if self._web is not None:
            self._web.on_connection_close()
            return
        self._disconnected.set()
        self._server.state.updates.wake()

    async def _respond(self) -> None:
        path, _, query = self._path.partition("?")
        match = _API_PATH.match(path)
        if match is None:
            self._write(404, not_found().body())
            return
        try:
            params = read_params(self._content_type, b"".join(self._chunks), query)
        except ApiError as error:
            self._write(error.status, error.body())
            return
        token, method = match.groups()
        state = self._server.state
        status, body = await run_call(state, token, method, params, self._disconnected)
        if status == NO_ANSWER:
            self._connection.close()  # type: ignore[attr-defined]
        elif not self._disconnected.is_set():
            self._write(status, body)

    def _write(self, status: int, body: Any) -> None:
        payload = encode(body)
        headers = httputil.HTTPHeaders({"Content-Type": _JSON, "Content-Length": str(len(payload))})
        start_line = httputil.ResponseStartLine("HTTP/1.1", status, HTTPStatus(status).phrase)
        self._connection.write_headers(start_line, headers, payload)
        self._connection.finish()


class _JsonHandler(RequestHandler):
    """Common ground of the tornado.web routes: no etags, JSON answers."""

    def compute_etag(self) -> str | None:
        """Never answer 304: every call is fresh."""
        return None

    def answer(self, status: int, body: Any) -> None:
        """Finish with a JSON body."""
        self.set_status(status)
        self.set_header("Content-Type", _JSON)
        self.finish(encode(body))


class FileHandler(_JsonHandler):
    """GET /file/bot<token>/<file_path>."""

    def initialize(self, state: EmulatorState) -> None:
        """Keep the shared state."""
        self.state = state

    def get(self, token: str, file_path: str) -> None:
        """The stored bytes, or Telegram's 404."""
        stored = self.state.files.at_path(file_path)
        if stored is None:
            self.answer(404, not_found().body())
            return
        content_type = stored.mime_type or mimetypes.guess_type(file_path)[0]
        self.set_header("Content-Type", content_type or "application/octet-stream")
        self.finish(stored.data)


def _no_log(handler: RequestHandler) -> None:
    """Access logs would cost more than the calls themselves under benchmark load."""


def make_web_app(state: EmulatorState, extra_routes: list[Any]) -> Application:
    """The tornado.web side: file downloads and extra (control) routes."""
    return Application(
        [(r"/file/bot([^/]+)/(.+)", FileHandler, {"state": state}), *extra_routes],
        log_function=_no_log,
        compress_response=False,
    )
