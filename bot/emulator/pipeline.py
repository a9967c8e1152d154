"""One Bot API call from request to answer: faults, blocks, flood limits, the method, stats."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot.emulator.errors import ApiError, api_error, blocked, not_found, too_many_requests
from bot.emulator.methods import ApiCall, lookup
from bot.emulator.params import Params
from bot.emulator.state import EmulatorState

log = logging.getLogger(__name__)

# A status meaning "send nothing": the call hangs as a fault asked.
NO_ANSWER = 0
Answer = tuple[int, dict[str, Any] | None]


async def run_call(
    state: EmulatorState, token: str, method: str, params: Params, disconnected: asyncio.Event
) -> Answer:
    """The HTTP status and JSON body Telegram would answer this call with."""
    found = lookup(method)
    if found is None:
        state.stats.errors[404] += 1
        return 404, not_found().body()
    name, handler = found
    state.stats.calls[name] += 1
    # A long poll waits on purpose: it must not keep the emulator from looking idle.
    counted = name != "getUpdates"
    if counted:
        state.activity.begin()
    else:
        state.activity.touch()
    try:
        call = ApiCall(state, token, name, params, disconnected)
        if not await _admit(call):
            return NO_ANSWER, None
        return 200, {"ok": True, "result": await handler(call)}
    except ApiError as error:
        state.stats.errors[error.status] += 1
        return error.status, error.body()
    except Exception as exc:  # a bug in a method must answer like Telegram's 500, not hang
        log.exception("emulator method %s failed", name)
        state.stats.errors[500] += 1
        return 500, api_error(500, f"{type(exc).__name__}: {exc}").body()
    finally:
        if counted:
            state.activity.end()


async def _admit(call: ApiCall) -> bool:
    """Apply faults, blocks and flood limits; False when the call must hang unanswered."""
    state = call.state
    chat_id = call.params.chat_id()
    verdict = state.faults.judge(call.method, chat_id)
    if verdict is not None:
        if verdict.delay:
            await state.pause(verdict.delay)
        if verdict.hang:
            await _wait_any(state.stopping, call.disconnected)
            return False
        if verdict.error is not None:
            raise verdict.error
    if chat_id is not None and chat_id in state.blocked:
        raise blocked()
    if state.limiter is not None:
        retry_after = state.limiter.retry_after(call.method, chat_id)
        if retry_after is not None:
            raise too_many_requests(retry_after)
    return True


async def _wait_any(*events: asyncio.Event) -> None:
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)
