"""RemoteEmulator: the control API of an emulator in another process, shaped like the Python API."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import httpx

# The HTTP wait must outlast the emulator-side wait it carries.
_SLACK_SECONDS = 5.0


class RemoteError(RuntimeError):
    """The control API refused an operation."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class RemoteEmulator:
    """Drive `python -m bot.emulator` over HTTP: users, faults, blocks, stats, idle."""

    def __init__(self, base_url: str, client: httpx.AsyncClient | None = None) -> None:
        self.base_url = base_url.rstrip("/").removesuffix("/bot")
        self._own_client = client is None
        self._client = client or httpx.AsyncClient(timeout=30.0, trust_env=False)

    @property
    def api_url(self) -> str:
        """What ApplicationBuilder().base_url() takes."""
        return f"{self.base_url}/bot"

    @property
    def file_url(self) -> str:
        """What ApplicationBuilder().base_file_url() takes."""
        return f"{self.base_url}/file/bot"

    async def aclose(self) -> None:
        """Close the HTTP client if this object made it."""
        if self._own_client:
            await self._client.aclose()

    async def __aenter__(self) -> RemoteEmulator:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def call(
        self,
        verb: str,
        path: str,
        body: dict[str, Any] | None = None,
        wait: float = 0.0,
        query: dict[str, str] | None = None,
    ) -> Any:
        """One control request; its result, TimeoutError on 408, RemoteError otherwise."""
        response = await self._client.request(
            verb,
            f"{self.base_url}/_emu{path}",
            json=body,
            params=query,
            timeout=wait + _SLACK_SECONDS if wait else httpx.USE_CLIENT_DEFAULT,
        )
        answer = response.json()
        if response.status_code == 408:
            raise TimeoutError(answer.get("description"))
        if not answer.get("ok"):
            raise RemoteError(f"{response.status_code}: {answer.get('description')}")
        return answer["result"]

    def user(self, user_id: int) -> RemoteUser:
        """The remote user with that id (created on first use by the emulator)."""
        return RemoteUser(self, user_id)

    async def register(self, user_id: int, **profile: Any) -> dict[str, Any]:
        """Create a user with a profile (first_name, last_name, username, language_code)."""
        result: dict[str, Any] = await self.call("POST", f"/users/{user_id}", profile)
        return result

    async def add_fault(self, method: str | None = None, status: int = 500, **rule: Any) -> int:
        """faults.add(...) remotely; returns the rule id."""
        fault = await self.call(
            "POST", "/faults", {"kind": "add", "method": method, "status": status} | rule
        )
        return int(fault["id"])

    async def slow(self, method: str | None = None, seconds: float = 1.0, **rule: Any) -> int:
        """faults.slow(...) remotely; returns the rule id."""
        fault = await self.call(
            "POST", "/faults", {"kind": "slow", "method": method, "seconds": seconds} | rule
        )
        return int(fault["id"])

    async def hang(self, method: str | None = None, **rule: Any) -> int:
        """faults.hang(...) remotely; returns the rule id."""
        fault = await self.call("POST", "/faults", {"kind": "hang", "method": method} | rule)
        return int(fault["id"])

    async def clear_faults(self) -> None:
        """Drop every fault rule."""
        await self.call("DELETE", "/faults")

    async def block(self, user_id: int) -> None:
        """The user blocks the bot."""
        await self.call("POST", f"/blocked/{user_id}")

    async def unblock(self, user_id: int) -> None:
        """The user unblocks the bot."""
        await self.call("DELETE", f"/blocked/{user_id}")

    async def stats(self, with_times: bool = False) -> dict[str, Any]:
        """Counters; with_times adds send timestamps (time.monotonic()) and the peak rate."""
        query = {"times": "1"} if with_times else None
        result: dict[str, Any] = await self.call("GET", "/stats", query=query)
        return result

    async def reset_stats(self) -> None:
        """Start counting afresh."""
        await self.call("DELETE", "/stats")

    async def idle(self, timeout: float = 5.0, quiet: float = 0.1) -> None:  # noqa: ASYNC109
        """Return once the bot has handled everything (TimeoutError otherwise)."""
        await self.call("POST", "/idle", {"timeout": timeout, "quiet": quiet}, wait=timeout)

    async def all_sent(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Every message the bot sent, as JSON replies."""
        query = {"chat_id": str(chat_id)} if chat_id is not None else None
        result: list[dict[str, Any]] = await self.call("GET", "/sent", query=query)
        return result

    async def send_texts(self, messages: Sequence[tuple[int, str]]) -> int:
        """Many users' texts in one request."""
        return int(await self.call("POST", "/texts", {"messages": [list(m) for m in messages]}))

    async def webhook_info(self) -> dict[str, Any]:
        """Where updates go and how many wait."""
        result: dict[str, Any] = await self.call("GET", "/webhook")
        return result


class RemoteUser:
    """A simulated user of a remote emulator; results are the JSON forms of SimUser's."""

    def __init__(self, remote: RemoteEmulator, user_id: int) -> None:
        self._remote = remote
        self.id = user_id

    async def op(self, name: str, wait: float = 0.0, **arguments: Any) -> Any:
        """Any SimUser operation by name; bytes travel as `<name>_b64` arguments."""
        return await self._remote.call("POST", f"/users/{self.id}/{name}", arguments, wait)

    async def send_text(self, text: str, *, reply_to: int | None = None) -> dict[str, Any]:
        """SimUser.send_text."""
        result: dict[str, Any] = await self.op("send_text", text=text, reply_to=reply_to)
        return result

    async def send_photo(
        self, data: bytes, caption: str | None = None, *, from_name: str | None = None
    ) -> dict[str, Any]:
        """SimUser.send_photo."""
        result: dict[str, Any] = await self.op(
            "send_photo", data_b64=_b64(data), caption=caption, from_name=from_name
        )
        return result

    async def send_album(
        self, items: Sequence[bytes], caption: str | None = None
    ) -> list[dict[str, Any]]:
        """SimUser.send_album."""
        result: list[dict[str, Any]] = await self.op(
            "send_album", items_b64=[_b64(item) for item in items], caption=caption
        )
        return result

    async def send_document(
        self, data: bytes, file_name: str = "file.bin", mime_type: str | None = None
    ) -> dict[str, Any]:
        """SimUser.send_document."""
        result: dict[str, Any] = await self.op(
            "send_document", data_b64=_b64(data), file_name=file_name, mime_type=mime_type
        )
        return result

    async def press(
        self,
        label: str | None = None,
        *,
        callback_data: str | None = None,
        message_id: int | None = None,
    ) -> dict[str, Any]:
        """SimUser.press; the result has query_id for callback_answer."""
        result: dict[str, Any] = await self.op(
            "press", label=label, callback_data=callback_data, message_id=message_id
        )
        return result

    async def callback_answer(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - the same signature as SimUser's
    ) -> dict[str, Any]:
        """SimUser.callback_answer."""
        result: dict[str, Any] = await self.op(
            "callback_answer", timeout, query_id=query_id, timeout=timeout
        )
        return result

    async def next_replies(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109 - the same signature as SimUser's
        count: int = 1,
    ) -> list[dict[str, Any]]:
        """SimUser.next_replies."""
        result: list[dict[str, Any]] = await self.op(
            "next_replies", timeout, timeout=timeout, count=count
        )
        return result

    async def unread(self) -> list[dict[str, Any]]:
        """SimUser.unread."""
        result: list[dict[str, Any]] = await self.op("unread")
        return result

    async def transcript(self) -> list[dict[str, Any]]:
        """The chat's transcript."""
        result: list[dict[str, Any]] = await self._remote.call(
            "GET", f"/users/{self.id}/transcript"
        )
        return result
