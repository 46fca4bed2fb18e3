"""Registry of the Bot API methods the fake implements."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .params import Params

Handler = Callable[[Any, Params], Awaitable[Any]]
H = TypeVar("H", bound=Handler)


@dataclass(frozen=True)
class MethodSpec:
    """A Bot API method: its canonical name, handler and whether it sends a message."""

    name: str
    handler: Handler
    sends: bool


@dataclass(frozen=True)
class Described:
    """A successful result that carries Telegram's `description` (e.g. "Webhook was set")."""

    result: Any
    description: str


API_METHODS: dict[str, MethodSpec] = {}


def api_method(name: str, *, sends: bool = False) -> Callable[[H], H]:
    """Register a handler for `name` (method names are case-insensitive, as on Telegram)."""

    def register(handler: H) -> H:
        """Store the handler under the lower-cased name."""
        API_METHODS[name.lower()] = MethodSpec(name, handler, sends)
        return handler

    return register
