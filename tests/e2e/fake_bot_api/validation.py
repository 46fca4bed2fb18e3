"""Checks of Bot API parameters against Telegram's documented limits."""

from __future__ import annotations

import re
from typing import Any

from .entities import visible_text
from .errors import bad_request

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_BUTTONS = 100
MAX_BUTTONS_PER_ROW = 8
MAX_CALLBACK_ANSWER = 200
MAX_POLL_QUESTION = 300
MIN_POLL_OPTIONS = 1  # Bot API 10.0 lowered it from 2 (python-telegram-bot 22.8)
MAX_POLL_OPTIONS = 12
MAX_POLL_OPTION = 100
MAX_COMMANDS = 100
MARKUP_JSON_ERROR = "can't parse reply keyboard markup JSON object"
_BUTTON_ERROR = "can't parse inline keyboard button"

_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
    "web_app",
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_SECRET = re.compile(r"[A-Za-z0-9_-]+")
_LANGUAGE = re.compile(r"[a-z]{2}")
_URL = re.compile(r"(https?|tg)://\S+")
CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)


def message_text(text: str | None, parse_mode: str | None) -> str:
    """Validate a message text and return what the citizen would see."""
    if text is None or not text.strip():
        raise bad_request("message text is empty")
    visible = visible_text(text, parse_mode)
    if not visible.strip():
        raise bad_request("message text is empty")
    if len(visible) > MAX_TEXT:
        raise bad_request("message is too long")
    return visible


def caption(text: str | None, parse_mode: str | None) -> str | None:
    """Validate an optional media caption."""
    if text is None or text == "":
        return None
    visible = visible_text(text, parse_mode)
    if len(visible) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return visible


def _inline_button(button: Any) -> None:
    """Validate one inline keyboard button."""
    if not isinstance(button, dict):
        raise bad_request(f"{_BUTTON_ERROR}: InlineKeyboardButton must be an Object")
    if not isinstance(button.get("text"), str):
        raise bad_request(f'{_BUTTON_ERROR}: Field "text" must be of type String')
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [a for a in _BUTTON_ACTIONS if a in button and button[a] is not None]
    if not actions:
        raise bad_request(f"{_BUTTON_ERROR}: Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request(f"{_BUTTON_ERROR}: exactly one of the optional fields must be used")
    if "callback_data" in button:
        data = button["callback_data"]
        size = len(data.encode("utf-8")) if isinstance(data, str) else 0
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not (isinstance(button["url"], str) and _URL.fullmatch(button["url"])):
        url = button["url"]
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def _rows(markup: dict[str, Any], key: str) -> list[list[Any]]:
    """Return the keyboard rows under `key`, checking their shape."""
    rows = markup[key]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request(
            f'can\'t parse reply keyboard markup JSON object: Field "{key}" '
            "must be an Array of Arrays"
        )
    return rows


def reply_markup(markup: Any) -> dict[str, Any] | None:
    """Validate a reply_markup object (inline keyboard, reply keyboard, remove or force reply)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request(MARKUP_JSON_ERROR)
    if "inline_keyboard" in markup:
        rows = _rows(markup, "inline_keyboard")
        if sum(len(r) for r in rows) > MAX_BUTTONS or any(
            len(r) > MAX_BUTTONS_PER_ROW for r in rows
        ):
            raise bad_request("reply markup is too long")
        for row in rows:
            for button in row:
                _inline_button(button)
    elif "keyboard" in markup:
        for row in _rows(markup, "keyboard"):
            for button in row:
                text = button if isinstance(button, str) else (button or {}).get("text")
                if not isinstance(text, str) or not text:
                    raise bad_request("keyboard button text must be non-empty")
    elif not markup.get("remove_keyboard") and not markup.get("force_reply"):
        raise bad_request(MARKUP_JSON_ERROR)
    return markup


def poll(question: str | None, options: Any) -> list[str]:
    """Validate a poll's question and options and return the option texts."""
    if not question or not question.strip():
        raise bad_request("poll question must be non-empty")
    if len(question) > MAX_POLL_QUESTION:
        raise bad_request(f"poll question length must not exceed {MAX_POLL_QUESTION}")
    if not isinstance(options, list):
        raise bad_request("can't parse options JSON object")
    texts = [o.get("text") if isinstance(o, dict) else o for o in options]
    if len(texts) < MIN_POLL_OPTIONS:
        raise bad_request(f"poll must have at least {MIN_POLL_OPTIONS} option")
    if len(texts) > MAX_POLL_OPTIONS:
        raise bad_request(f"poll can't have more than {MAX_POLL_OPTIONS} options")
    for text in texts:
        if not isinstance(text, str) or not text.strip():
            raise bad_request("poll options must be non-empty")
        if len(text) > MAX_POLL_OPTION:
            raise bad_request(f"poll options length must not exceed {MAX_POLL_OPTION}")
    return [str(text) for text in texts]


def commands(value: Any) -> list[dict[str, str]]:
    """Validate a setMyCommands list and return it normalised."""
    if not isinstance(value, list):
        raise bad_request("can't parse commands JSON object")
    if len(value) > MAX_COMMANDS:
        raise bad_request("too many commands")
    result = []
    for item in value:
        if not isinstance(item, dict) or "command" not in item or "description" not in item:
            raise bad_request("can't parse BotCommand: Can't find field \"description\"")
        name = str(item["command"]).strip().removeprefix("/")
        description = str(item["description"]).strip()
        if not _COMMAND.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not description:
            raise bad_request("command description must be non-empty")
        if len(description) > 256:
            raise bad_request("command description length must not exceed 256")
        result.append({"command": name, "description": description})
    return result


def language_code(code: str | None) -> str:
    """Validate a command-list language code: empty or two lowercase letters (ISO 639-1)."""
    if not code:
        return ""
    if not _LANGUAGE.fullmatch(code):
        raise bad_request("invalid language code specified")
    return code


def secret_token(token: str | None) -> str | None:
    """Validate a webhook secret token: 1–256 characters of A-Z a-z 0-9 _ -."""
    if not token:
        return None
    if len(token) > 256:
        raise bad_request("secret token is too long")
    if not _SECRET.fullmatch(token):
        raise bad_request("secret token contains unallowed characters")
    return token


def callback_answer_text(text: str | None) -> str | None:
    """Validate the text of answerCallbackQuery."""
    if text and len(text) > MAX_CALLBACK_ANSWER:
        raise bad_request("message is too long")
    return text or None


def chat_action(action: str | None) -> str:
    """Validate a sendChatAction action."""
    if action is None or action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return action
