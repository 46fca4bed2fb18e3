"""Light checks of HTML and MarkdownV2 formatting, giving the text a citizen sees."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from .errors import bad_request

HTML_TAGS = frozenset(
    [
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
        "tg-time",
    ]
)
_MD2_ALWAYS_RESERVED = frozenset(".#+-={}")
_MD2_MARKUP = frozenset("_*~`[]()|>!")
_MD2_ESCAPABLE = _MD2_ALWAYS_RESERVED | _MD2_MARKUP | {"\\"}


class _TelegramHtml(HTMLParser):
    """Collect visible text and reject tags Telegram does not support."""

    def __init__(self, source: str) -> None:
        """Prepare to parse `source`."""
        super().__init__(convert_charrefs=True)
        self.source = source
        self.parts: list[str] = []
        self.stack: list[str] = []

    def _offset(self) -> int:
        """Return the byte offset of the current tag in the UTF-8 source."""
        line, col = self.getpos()
        lines = self.source.split("\n")
        chars = sum(len(x) + 1 for x in lines[: line - 1]) + col
        return len(self.source[:chars].encode("utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Accept a supported start tag."""
        if tag not in HTML_TAGS:
            raise bad_request(
                f'can\'t parse entities: Unsupported start tag "{tag}" '
                f"at byte offset {self._offset()}"
            )
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        """Match an end tag with the last open tag."""
        if not self.stack or self.stack[-1] != tag:
            raise bad_request(
                f"can't parse entities: Unmatched end tag at byte offset {self._offset()}, "
                f'expected "</{self.stack[-1] if self.stack else tag}>", found "</{tag}>"'
            )
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        """Keep visible text."""
        self.parts.append(data)


def _visible_html(text: str) -> str:
    """Return the visible text of an HTML-formatted message."""
    parser = _TelegramHtml(text)
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise bad_request(
            "can't parse entities: Can't find end tag corresponding to start tag "
            f'"{parser.stack[-1]}"'
        )
    return html.unescape("".join(parser.parts))


def _reserved(char: str) -> Exception:
    """Return Telegram's error for an unescaped reserved MarkdownV2 character."""
    return bad_request(
        f"can't parse entities: Character '{char}' is reserved and must be escaped "
        "with the preceding '\\'"
    )


def _visible_markdown_v2(text: str) -> str:
    """Check MarkdownV2 escaping (roughly as Telegram does) and return the visible text."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in _MD2_ESCAPABLE:
            out.append(text[i + 1])
            i += 2
            continue
        if char == "`":
            fence = "```" if text.startswith("```", i) else "`"
            end = text.find(fence, i + len(fence))
            if end < 0:
                raise bad_request("can't parse entities: Can't find end of Code entity")
            out.append(text[i + len(fence) : end])
            i = end + len(fence)
            continue
        if text.startswith("](", i):
            end = text.find(")", i + 2)
            if end < 0:
                raise _reserved("(")
            i = end + 1
            continue
        at_line_start = i == 0 or text[i - 1] == "\n"
        if (
            char in _MD2_ALWAYS_RESERVED
            or (char == "!" and not text.startswith("![", i))
            or (char == "|" and not (text.startswith("||", i) or text[i - 1 : i] == "|"))
            or (char == ">" and not at_line_start)
        ):
            raise _reserved(char)
        if char not in _MD2_MARKUP:
            out.append(char)
        i += 1
    return "".join(out)


def visible_text(text: str, parse_mode: str | None) -> str:
    """Return the text Telegram would display for `text` formatted with `parse_mode`."""
    mode = (parse_mode or "").strip().lower()
    if not mode:
        return text
    if mode == "html":
        return _visible_html(text)
    if mode == "markdownv2":
        return _visible_markdown_v2(text)
    if mode == "markdown":
        return re.sub(r"[*_`\[\]]", "", text)
    raise bad_request("unsupported parse_mode")
