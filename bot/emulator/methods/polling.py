"""Getting updates: long polling with getUpdates, or a webhook."""

from __future__ import annotations

import re
from typing import Any

from bot.emulator.errors import ApiError, bad_request
from bot.emulator.methods.registry import ApiCall, api_method
from bot.emulator.updates import Update
from bot.emulator.webhook import WebhookConfig

_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


def chat_key(update: Update) -> int:
    """The chat an update belongs to, which orders webhook delivery."""
    for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
        if key in update:
            return int(update[key]["chat"]["id"])
    for value in update.values():
        if isinstance(value, dict) and "from" in value:
            return int(value["from"]["id"])
    return 0


def _set_allowed(call: ApiCall) -> None:
    allowed = call.params.obj("allowed_updates")
    if isinstance(allowed, list):
        call.state.updates.allowed = frozenset(allowed) or None


@api_method("getUpdates")
async def get_updates(call: ApiCall) -> list[Update]:
    """Confirm updates before offset, then return pending ones, long-polling up to timeout."""
    state = call.state
    if state.webhook.active:
        raise ApiError(409, _CONFLICT)
    _set_allowed(call)
    queue = state.updates
    before = queue.confirmed
    queue.confirm(call.params.integer("offset"))
    state.stats.updates_delivered += queue.confirmed - before
    limit = min(max(call.params.integer("limit") or 100, 1), 100)
    timeout = call.params.number("timeout") or 0.0
    if not len(queue) and not state.stopping.is_set() and not call.disconnected.is_set():
        await queue.wait(timeout)
    return queue.take(limit)


@api_method("setWebhook")
async def set_webhook(call: ApiCall) -> bool:
    """Start delivering updates to a URL; pending getUpdates updates move there too."""
    url = call.params.text("url") or ""
    if not url:
        return await _remove_webhook(call)
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
    secret = call.params.text("secret_token")
    if secret and not _SECRET.match(secret):
        raise bad_request("secret token contains unallowed characters")
    state = call.state
    if call.params.flag("drop_pending_updates"):
        state.updates.drop()
        state.webhook.drop()
    _set_allowed(call)
    was_active = state.webhook.active
    state.webhook.configure(
        WebhookConfig(
            url=url,
            secret_token=secret,
            max_connections=call.params.integer("max_connections") or 40,
            allowed_updates=call.params.obj("allowed_updates"),
            ip_address=call.params.text("ip_address"),
        )
    )
    if not was_active:
        for update in state.updates.drain():
            state.webhook.enqueue(update, chat_key(update))
    return True


@api_method("deleteWebhook")
async def delete_webhook(call: ApiCall) -> bool:
    """Stop the webhook; undelivered updates go back to getUpdates unless dropped."""
    return await _remove_webhook(call)


async def _remove_webhook(call: ApiCall) -> bool:
    state = call.state
    undelivered = await state.webhook.close()
    if call.params.flag("drop_pending_updates"):
        state.updates.drop()
    else:
        state.updates.push(undelivered)
    return True


@api_method("getWebhookInfo")
async def get_webhook_info(call: ApiCall) -> dict[str, Any]:
    """The current webhook, its backlog and its last delivery error."""
    webhook = call.state.webhook
    config = webhook.config
    info: dict[str, Any] = {
        "url": config.url if config else "",
        "has_custom_certificate": False,
        "pending_update_count": call.state.pending_updates(),
    }
    if config is not None:
        info |= webhook.info() | {"max_connections": config.max_connections}
        if config.allowed_updates:
            info["allowed_updates"] = config.allowed_updates
        if config.ip_address:
            info["ip_address"] = config.ip_address
    return info
