"""Methods about the bot itself: getMe, commands, menu button, descriptions, logOut/close."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.emulator.errors import bad_request
from bot.emulator.methods.registry import ApiCall, api_method

_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


@api_method("getMe")
async def get_me(call: ApiCall) -> dict[str, Any]:
    """The bot's User with the capabilities getMe reports."""
    return call.bot | {
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@api_method("logOut")
async def log_out(call: ApiCall) -> bool:
    """Harmless here."""
    return True


@api_method("close")
async def close(call: ApiCall) -> bool:
    """Harmless here."""
    return True


def _commands_key(call: ApiCall) -> tuple[str, str]:
    scope = call.params.obj("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), call.params.text("language_code") or ""


@api_method("setMyCommands")
async def set_my_commands(call: ApiCall) -> bool:
    """Store the command list for a scope and language."""
    commands = call.params.obj("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("commands must be a list of at most 100 BotCommand")
    for command in commands:
        if not _COMMAND.match(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("command description must be 1-256 characters")
    call.state.profile.commands[_commands_key(call)] = commands
    return True


@api_method("getMyCommands")
async def get_my_commands(call: ApiCall) -> list[dict[str, Any]]:
    """The command list for a scope and language."""
    return call.state.profile.commands.get(_commands_key(call), [])


@api_method("deleteMyCommands")
async def delete_my_commands(call: ApiCall) -> bool:
    """Forget the command list for a scope and language."""
    call.state.profile.commands.pop(_commands_key(call), None)
    return True


@api_method("setChatMenuButton")
async def set_chat_menu_button(call: ApiCall) -> bool:
    """Store the menu button of a chat, or the default one."""
    button = call.params.obj("menu_button") or {"type": "default"}
    call.state.profile.menu_buttons[call.params.chat_id()] = button
    return True


@api_method("getChatMenuButton")
async def get_chat_menu_button(call: ApiCall) -> dict[str, Any]:
    """The menu button of a chat, falling back to the default one."""
    buttons = call.state.profile.menu_buttons
    return buttons.get(call.params.chat_id()) or buttons.get(None) or {"type": "default"}


def _text_setting(name: str, field: str) -> None:
    """Register set<Name>/get<Name> for a per-language text such as the description."""

    async def set_text(call: ApiCall) -> bool:
        key = f"{field}:{call.params.text('language_code') or ''}"
        call.state.profile.texts[key] = call.params.text(field) or ""
        return True

    async def get_text(call: ApiCall) -> dict[str, str]:
        key = f"{field}:{call.params.text('language_code') or ''}"
        return {field: call.state.profile.texts.get(key, "")}

    api_method(f"set{name}")(set_text)
    api_method(f"get{name}")(get_text)


_text_setting("MyDescription", "description")
_text_setting("MyShortDescription", "short_description")
_text_setting("MyName", "name")
