"""parse_mode as Telegram applies it: HTML, MarkdownV2 and Markdown to text plus entities."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.errors import ApiError, bad_request

Entities = list[dict[str, Any]]

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
# Telegram knows only these named entities, and every numeric one.
_HTML_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
_HTML_ATTR = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"']+)))?")
_MD2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MD2_MARKERS = {
    "*": "bold",
    "_": "italic",
    "__": "underline",
    "~": "strikethrough",
    "||": "spoiler",
}
_MD2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
}


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of entity offsets."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def format_text(
    text: str, parse_mode: str | None, entities: Entities | None
) -> tuple[str, Entities | None]:
    """The text and entities Telegram stores for a text sent with parse_mode or entities."""
    if entities:
        return text, entities
    mode = (parse_mode or "").lower()
    if not mode:
        return text, None
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown(text)
    raise bad_request(f"unsupported parse_mode {parse_mode!r}")


@dataclass(slots=True)
class _Open:
    """An entity whose start was seen and whose end was not yet."""

    marker: str
    kind: str
    start: int
    source_index: int
    extra: dict[str, Any] = field(default_factory=dict)


class _Builder:
    """Collects output text and entities, counting offsets in UTF-16 units."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.entities: Entities = []

    def emit(self, text: str) -> None:
        """Append visible text."""
        if text:
            self.parts.append(text)
            self.pos += utf16_len(text)

    def close(self, opened: _Open) -> None:
        """End an entity at the current position; empty entities vanish as in Telegram."""
        if self.pos > opened.start:
            length = self.pos - opened.start
            entity = {"type": opened.kind, "offset": opened.start, "length": length}
            self.entities.append(entity | opened.extra)

    def result(self) -> tuple[str, Entities | None]:
        """The text and its entities ordered by offset."""
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), self.entities or None


def _parse_error(source: str, message: str) -> ApiError:
    return bad_request(f"can't parse entities: {message}")


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode())


def parse_html(source: str) -> tuple[str, Entities | None]:
    """Telegram's HTML parse mode."""
    out = _Builder()
    stack: list[_Open] = []
    i = 0
    while i < len(source):
        special = _next_special(source, i)
        out.emit(source[i:special])
        i = special
        if i >= len(source):
            break
        if source[i] == "&":
            match = _HTML_ENTITY.match(source, i)
            out.emit(html.unescape(match.group(0)) if match else "&")
            i = match.end() if match else i + 1
            continue
        i = _html_tag(source, i, out, stack)
    if stack:
        name = stack[-1].marker
        raise _parse_error(source, f'Can\'t find end tag corresponding to start tag "{name}"')
    return out.result()


def _next_special(source: str, start: int) -> int:
    found = [pos for pos in (source.find("<", start), source.find("&", start)) if pos >= 0]
    return min(found) if found else len(source)


def _html_tag(source: str, i: int, out: _Builder, stack: list[_Open]) -> int:
    """Handle the tag starting at i; return the index after it."""
    end = source.find(">", i)
    if end < 0:
        raise _parse_error(source, f"Unclosed start tag at byte offset {_byte_offset(source, i)}")
    body = source[i + 1 : end]
    if body.startswith("/"):
        _html_end_tag(source, i, body[1:].strip().lower(), out, stack)
        return end + 1
    name, _, rest = body.strip().partition(" ")
    name = name.lower()
    attrs = {m[1].lower(): m[2] or m[3] or m[4] or "" for m in _HTML_ATTR.finditer(rest)}
    kind, extra = _html_entity_kind(name, {k: html.unescape(v) for k, v in attrs.items()})
    if kind is None:
        offset = _byte_offset(source, i)
        raise _parse_error(source, f'Unsupported start tag "{name}" at byte offset {offset}')
    stack.append(_Open(name, kind, out.pos, i, extra))
    return end + 1


def _html_entity_kind(name: str, attrs: dict[str, str]) -> tuple[str | None, dict[str, Any]]:
    kind = _HTML_TAGS.get(name)
    if name == "span" and attrs.get("class") != "tg-spoiler":
        return None, {}
    if name == "a":
        return ("text_link", {"url": attrs["href"]}) if attrs.get("href") else ("", {})
    if name == "tg-emoji":
        return kind, {"custom_emoji_id": attrs.get("emoji-id", "")}
    if name == "blockquote" and "expandable" in attrs:
        return "expandable_blockquote", {}
    if name == "code" and attrs.get("class", "").startswith("language-"):
        return kind, {"language": attrs["class"].removeprefix("language-")}
    return kind, {}


def _html_end_tag(source: str, i: int, name: str, out: _Builder, stack: list[_Open]) -> None:
    offset = _byte_offset(source, i)
    if not stack:
        raise _parse_error(source, f"Unexpected end tag at byte offset {offset}")
    opened = stack.pop()
    if opened.marker != name:
        raise _parse_error(
            source,
            f'Unmatched end tag at byte offset {offset}, expected "</{opened.marker}>", '
            f'found "</{name}>"',
        )
    if name == "code" and stack and stack[-1].kind == "pre":
        # <pre><code class="language-x"> is one pre entity with a language, not two entities.
        if "language" in opened.extra:
            stack[-1].extra["language"] = opened.extra["language"]
        return
    if opened.kind == "code":
        opened.extra.pop("language", None)
    if opened.kind:
        out.close(opened)


def parse_markdown_v2(source: str) -> tuple[str, Entities | None]:
    """Telegram's MarkdownV2 parse mode, with its rule that reserved characters be escaped."""
    out = _Builder()
    stack: list[_Open] = []
    quote: _Open | None = None
    quote_end = 0
    i = 0
    line_start = True
    while i < len(source):
        char = source[i]
        if line_start:
            line_start = False
            if char == ">":
                quote = quote or _Open(">", "blockquote", out.pos, i)
                i += 1
                continue
            if quote is not None:
                _close_quote(out, quote, quote_end)
                quote = None
        if char == "\n":
            quote_end = out.pos
            out.emit(char)
            line_start = True
            i += 1
        else:
            i = _md2_step(source, i, out, stack)
    if quote is not None:
        _close_quote(out, quote, out.pos)
    if stack:
        opened = stack[-1]
        name = _MD2_NAMES.get(opened.kind, opened.kind)
        offset = _byte_offset(source, opened.source_index)
        raise _parse_error(source, f"Can't find end of {name} entity at byte offset {offset}")
    return out.result()


def _close_quote(out: _Builder, quote: _Open, end: int) -> None:
    if end > quote.start:
        length = end - quote.start
        out.entities.append({"type": "blockquote", "offset": quote.start, "length": length})


def _md2_step(source: str, i: int, out: _Builder, stack: list[_Open]) -> int:
    """Consume one token of MarkdownV2 starting at i; return the index after it."""
    char = source[i]
    pair = source[i : i + 2]
    if char == "\\":
        if i + 1 < len(source) and 0 < ord(source[i + 1]) <= 126:
            out.emit(source[i + 1])
            return i + 2
        out.emit(char)
        return i + 1
    if char == "`":
        return _md2_code(source, i, out)
    marker = pair if pair in ("__", "||") else char
    if marker in _MD2_MARKERS:
        _toggle(marker, _MD2_MARKERS[marker], i, out, stack)
        return i + len(marker)
    if char == "[":
        stack.append(_Open("[", "text_link", out.pos, i))
        return i + 1
    if char == "]" and stack and stack[-1].marker == "[" and source[i + 1 : i + 2] == "(":
        return _md2_link_end(source, i, out, stack)
    if char in _MD2_RESERVED:
        raise _parse_error(
            source, f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
        )
    out.emit(char)
    return i + 1


def _toggle(marker: str, kind: str, i: int, out: _Builder, stack: list[_Open]) -> None:
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth].marker == marker:
            out.close(stack.pop(depth))
            return
    stack.append(_Open(marker, kind, out.pos, i))


def _md2_link_end(source: str, i: int, out: _Builder, stack: list[_Open]) -> int:
    url, end = _read_until(source, i + 2, ")")
    if end < 0:
        offset = _byte_offset(source, i)
        raise _parse_error(source, f"Can't find end of a URL at byte offset {offset}")
    opened = stack.pop()
    opened.extra["url"] = url
    out.close(opened)
    return end + 1


def _md2_code(source: str, i: int, out: _Builder) -> int:
    fence = "```" if source.startswith("```", i) else "`"
    content, end = _read_until(source, i + len(fence), fence)
    if end < 0:
        name = "Pre" if fence == "```" else "Code"
        offset = _byte_offset(source, i)
        raise _parse_error(source, f"Can't find end of {name} entity at byte offset {offset}")
    extra: dict[str, Any] = {}
    if fence == "```":
        first, newline, rest = content.partition("\n")
        if newline and first and " " not in first:
            extra["language"], content = first, rest
    opened = _Open(fence, "pre" if fence == "```" else "code", out.pos, i, extra)
    out.emit(content)
    out.close(opened)
    return end + len(fence)


def _read_until(source: str, start: int, terminator: str) -> tuple[str, int]:
    """Unescaped text from start up to the terminator; (-1) when it never comes."""
    chars: list[str] = []
    i = start
    while i < len(source):
        if source[i] == "\\" and i + 1 < len(source):
            chars.append(source[i + 1])
            i += 2
        elif source.startswith(terminator, i):
            return "".join(chars), i
        else:
            chars.append(source[i])
            i += 1
    return "".join(chars), -1


def parse_markdown(source: str) -> tuple[str, Entities | None]:
    """Telegram's legacy Markdown parse mode: no nesting, escapes only before _ * ` [."""
    out = _Builder()
    kinds = {"*": "bold", "_": "italic"}
    i = 0
    while i < len(source):
        char = source[i]
        if char == "\\" and source[i + 1 : i + 2] in ("_", "*", "`", "["):
            out.emit(source[i + 1])
            i += 2
            continue
        if char in kinds or char == "`" or char == "[":
            i = _markdown_entity(source, i, out, kinds)
            continue
        out.emit(char)
        i += 1
    return out.result()


def _markdown_entity(source: str, i: int, out: _Builder, kinds: dict[str, str]) -> int:
    char = source[i]
    fence = "```" if source.startswith("```", i) else char
    close = "](" if char == "[" else fence
    end = source.find(close, i + len(fence))
    url_end = source.find(")", end + 2) if char == "[" and end >= 0 else end
    if end < 0 or url_end < 0:
        offset = _byte_offset(source, i)
        raise _parse_error(source, f"Can't find end of the entity starting at byte offset {offset}")
    content = source[i + len(fence) : end]
    kind = kinds.get(char) or ("pre" if fence == "```" else "code")
    extra: dict[str, Any] = {}
    if char == "[":
        kind, extra = "text_link", {"url": source[end + 2 : url_end]}
    opened = _Open(fence, kind, out.pos, i, extra)
    out.emit(content)
    out.close(opened)
    return (url_end if char == "[" else end + len(fence) - 1) + 1
