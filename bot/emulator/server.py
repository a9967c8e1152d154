"""The HTTP face: Bot API calls under /bot<token>/<method>, files under /file/bot<token>/."""

from __future__ import annotations

import asyncio
import json
import mimetypes
from typing import Any

from tornado.web import Application, RequestHandler

from bot.emulator.errors import ApiError, not_found
from bot.emulator.params import Params, Upload
from bot.emulator.pipeline import NO_ANSWER, run_call
from bot.emulator.state import EmulatorState


def encode(body: Any) -> bytes:
    """JSON as Telegram sends it: UTF-8, compact."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def read_params(handler: RequestHandler) -> Params:
    """Parameters from the query string and a form, multipart or JSON body."""
    request = handler.request
    values: dict[str, Any] = {k: v[-1].decode() for k, v in request.query_arguments.items()}
    if request.headers.get("Content-Type", "").startswith("application/json") and request.body:
        values |= Params.from_json_body(request.body)
    else:
        values |= {k: v[-1].decode("utf-8", "replace") for k, v in request.body_arguments.items()}
    uploads = {
        name: Upload(parts[0].filename, parts[0].body, parts[0].content_type)
        for name, parts in request.files.items()
    }
    return Params(values, uploads)


class _JsonHandler(RequestHandler):
    """Common ground: no etags, JSON answers."""

    def compute_etag(self) -> str | None:
        """Never answer 304: every call is fresh."""
        return None

    def answer(self, status: int, body: Any) -> None:
        """Finish with a JSON body."""
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(encode(body))


class BotApiHandler(_JsonHandler):
    """POST or GET /bot<token>/<method>."""

    def initialize(self, state: EmulatorState) -> None:
        """Keep the shared state."""
        self.state = state
        self.disconnected = asyncio.Event()

    def on_connection_close(self) -> None:
        """The client went away (a cancelled long poll): release its wait."""
        self.disconnected.set()
        self.state.updates.wake()

    async def post(self, token: str, method: str) -> None:
        """Run one Bot API call."""
        try:
            params = read_params(self)
        except ApiError as error:
            self.answer(error.status, error.body())
            return
        status, body = await run_call(self.state, token, method, params, self.disconnected)
        if status == NO_ANSWER:
            self.request.connection.close()  # type: ignore[union-attr]
            return
        if not self.disconnected.is_set():
            self.answer(status, body)

    get = post


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


def make_app(state: EmulatorState, extra_routes: list[Any]) -> Application:
    """The tornado application serving the Bot API, files and extra (control) routes."""
    routes: list[Any] = [
        (r"/bot([^/]+)/([A-Za-z]+)/?", BotApiHandler, {"state": state}),
        (r"/file/bot([^/]+)/(.+)", FileHandler, {"state": state}),
        *extra_routes,
    ]
    return Application(routes, log_function=_no_log, compress_response=False)
