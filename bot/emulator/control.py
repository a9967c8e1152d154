"""The control API under /_emu: the test-facing operations as JSON, for other processes."""

from __future__ import annotations

import base64
import inspect
import json
from typing import TYPE_CHECKING, Any

from bot.emulator.server import _JsonHandler

if TYPE_CHECKING:
    from bot.emulator.emulator import BotApiEmulator

# SimUser methods reachable as POST /_emu/users/<id>/<op>; arguments are their keyword arguments.
USER_OPS = frozenset(
    {
        "send_text",
        "send_photo",
        "forward_photo",
        "forward_text",
        "send_album",
        "send_document",
        "send_video",
        "send_video_note",
        "send_sticker",
        "send_location",
        "send_contact",
        "edit_text",
        "press",
        "callback_answer",
        "next_replies",
        "unread",
    }
)
FAULT_KINDS = frozenset({"add", "slow", "hang"})


def to_jsonable(value: Any) -> Any:
    """Results of the Python API in JSON form."""
    if hasattr(value, "to_json"):
        return value.to_json()
    if isinstance(value, list | tuple):
        return [to_jsonable(item) for item in value]
    return value


def decode_binary(arguments: dict[str, Any]) -> dict[str, Any]:
    """Arguments named `<name>_b64` carry base64 bytes (or lists of them) for `<name>`."""
    decoded = {}
    for key, value in arguments.items():
        if key.endswith("_b64"):
            key = key.removesuffix("_b64")
            if isinstance(value, list):
                value = [base64.b64decode(item) for item in value]
            else:
                value = base64.b64decode(value)
        decoded[key] = value
    return decoded


class _ControlHandler(_JsonHandler):
    """Shared parsing and error mapping of the control API."""

    def initialize(self, emulator: BotApiEmulator) -> None:
        """Keep the emulator whose Python API the routes call."""
        self.emu = emulator

    def arguments(self) -> dict[str, Any]:
        """The JSON object body, or {}."""
        if not self.request.body:
            return {}
        decoded = json.loads(self.request.body)
        if not isinstance(decoded, dict):
            raise ValueError("the body must be a JSON object")
        return decoded

    def ok(self, result: Any = True) -> None:
        """Answer {"ok": true, "result": ...}."""
        self.answer(200, {"ok": True, "result": to_jsonable(result)})

    async def run(self, action: Any) -> None:
        """Await an action (or take a value) and answer it; map failures to 4xx."""
        try:
            result = await action if inspect.isawaitable(action) else action
        except TimeoutError as exc:
            self.answer(408, {"ok": False, "description": str(exc) or "timed out"})
        except (TypeError, ValueError, LookupError) as exc:
            self.answer(400, {"ok": False, "description": f"{type(exc).__name__}: {exc}"})
        else:
            self.ok(result)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Errors the routes did not map still answer JSON."""
        self.answer(status_code, {"ok": False, "description": self._reason})


class InfoHandler(_ControlHandler):
    """GET /_emu: where the API is."""

    def get(self) -> None:
        """The URLs a bot needs."""
        self.ok({"api_url": self.emu.api_url, "file_url": self.emu.file_url})


class UserHandler(_ControlHandler):
    """/_emu/users/<id>: register a user (first_name, last_name, username, language_code)."""

    async def post(self, user_id: str) -> None:
        """Create the user, or return the existing one."""
        await self.run(self._register(int(user_id)))

    async def _register(self, user_id: int) -> dict[str, Any]:
        return self.emu.user(user_id, **self.arguments()).info


class UserOpHandler(_ControlHandler):
    """POST /_emu/users/<id>/<op> runs SimUser.<op>(**body); GET reads the transcript."""

    async def post(self, user_id: str, op: str) -> None:
        """Run a user operation."""
        if op not in USER_OPS:
            self.answer(404, {"ok": False, "description": f"unknown user operation {op!r}"})
            return
        await self.run(self._call(int(user_id), op))

    async def _call(self, user_id: int, op: str) -> Any:
        result = getattr(self.emu.user(user_id), op)(**decode_binary(self.arguments()))
        return await result if inspect.isawaitable(result) else result

    def get(self, user_id: str, op: str) -> None:
        """transcript, replies or keyboard of the user's chat."""
        user = self.emu.user(int(user_id))
        views = {"transcript": user.transcript, "replies": user.replies, "keyboard": user.keyboard}
        if op not in views:
            self.answer(404, {"ok": False, "description": f"unknown view {op!r}"})
            return
        self.ok(views[op])


class FaultsHandler(_ControlHandler):
    """/_emu/faults: list (GET), add (POST {"kind": "add"|"slow"|"hang", ...}), clear (DELETE)."""

    def get(self) -> None:
        """Every fault rule with its hit count."""
        self.ok(self.emu.faults.rules)

    async def post(self) -> None:
        """Add a rule; the other fields are the keyword arguments of faults.<kind>()."""
        await self.run(self._add())

    async def _add(self) -> Any:
        arguments = self.arguments()
        kind = arguments.pop("kind", "add")
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {sorted(FAULT_KINDS)}")
        return getattr(self.emu.faults, kind)(**arguments)

    def delete(self, fault_id: str | None = None) -> None:
        """Remove one rule, or all."""
        if fault_id is None:
            self.emu.faults.clear()
        else:
            self.emu.faults.remove(int(fault_id))
        self.ok()


class BlockHandler(_ControlHandler):
    """/_emu/blocked/<id>: POST blocks the bot for that user, DELETE unblocks."""

    def post(self, user_id: str) -> None:
        """Block."""
        self.emu.block(int(user_id))
        self.ok()

    def delete(self, user_id: str) -> None:
        """Unblock."""
        self.emu.unblock(int(user_id))
        self.ok()


class StatsHandler(_ControlHandler):
    """/_emu/stats: GET the counters (?times=1 adds send timestamps), DELETE resets them."""

    def get(self) -> None:
        """The counters."""
        self.ok(self.emu.stats.to_json(with_times=self.get_query_argument("times", "") == "1"))

    def delete(self) -> None:
        """Reset the counters."""
        self.emu.stats.reset()
        self.ok()


class IdleHandler(_ControlHandler):
    """POST /_emu/idle {"timeout": s, "quiet": s}: answers once the bot has handled everything."""

    async def post(self) -> None:
        """Wait for idle; 408 when it does not come in time."""
        arguments = self.arguments()
        await self.run(self.emu.idle(**arguments))


class SentHandler(_ControlHandler):
    """GET /_emu/sent[?chat_id=]: every message the bot sent."""

    def get(self) -> None:
        """The sent messages."""
        chat_id = self.get_query_argument("chat_id", None)
        self.ok(self.emu.all_sent(int(chat_id) if chat_id else None))


class TextsHandler(_ControlHandler):
    """POST /_emu/texts {"messages": [[user_id, text], ...]}: many texts in one call."""

    async def post(self) -> None:
        """Queue the texts."""
        pairs = [(int(user_id), str(text)) for user_id, text in self.arguments()["messages"]]
        await self.run(self.emu.send_texts(pairs))


class WebhookHandler(_ControlHandler):
    """GET /_emu/webhook: where updates go and the last delivery error."""

    def get(self) -> None:
        """The webhook info."""
        self.ok(self.emu.webhook_info())


def control_routes(emulator: BotApiEmulator) -> list[Any]:
    """Routes of the control API, bound to one emulator."""
    bound = {"emulator": emulator}
    return [
        (r"/_emu/?", InfoHandler, bound),
        (r"/_emu/users/(\d+)/?", UserHandler, bound),
        (r"/_emu/users/(\d+)/(\w+)/?", UserOpHandler, bound),
        (r"/_emu/faults/?", FaultsHandler, bound),
        (r"/_emu/faults/(\d+)/?", FaultsHandler, bound),
        (r"/_emu/blocked/(\d+)/?", BlockHandler, bound),
        (r"/_emu/stats/?", StatsHandler, bound),
        (r"/_emu/idle/?", IdleHandler, bound),
        (r"/_emu/sent/?", SentHandler, bound),
        (r"/_emu/texts/?", TextsHandler, bound),
        (r"/_emu/webhook/?", WebhookHandler, bound),
    ]
