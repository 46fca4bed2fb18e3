"""The messaging channels a citizen can write on, as people read their names."""

from __future__ import annotations

from collections.abc import Callable

CHANNELS = ("telegram", "whatsapp", "terminal")  # each has its `channel.<name>` text


def channel_name(t: Callable[..., str], channel: str) -> str:
    """Telegram, WhatsApp, the terminal chat (an unknown channel as it is stored)."""
    return t(f"channel.{channel}") if channel in CHANNELS else channel
