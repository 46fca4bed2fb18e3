"""Why a message could not be delivered, in channel-neutral terms.

Each channel adapter translates its library's errors into these, so the outbox sender and
the reply path decide the same way whatever the channel (Telegram via PTB or aiogram,
the terminal chat).
"""

from __future__ import annotations


class DeliveryError(Exception):
    """A message was not delivered."""


class RetryLater(DeliveryError):
    """The platform asks to slow down (Telegram: HTTP 429 with `retry_after`)."""

    def __init__(self, seconds: float, detail: str = "") -> None:
        super().__init__(detail or f"retry after {seconds} s")
        self.seconds = seconds


class Unreachable(DeliveryError):
    """The person cannot be reached: they blocked the bot or left (Telegram: 403)."""


class TransientNetworkError(DeliveryError):
    """A network failure or a server error (5xx): the same request may work later."""


class Rejected(DeliveryError):
    """The platform refused the request itself (Telegram: 400): retrying will not help."""


class OutsideWindow(DeliveryError):
    """The platform takes free-form messages only within a window that the person's own
    message opens (WhatsApp: 24 hours); the message waits for them to write again, or goes
    as an approved template."""
