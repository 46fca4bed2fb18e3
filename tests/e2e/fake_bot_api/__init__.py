"""A fake Telegram Bot API server for end-to-end tests with the real PTB and aiogram clients."""

from .bot import FakeBot, WaitTimeout
from .errors import ApiError
from .limits import RateLimits
from .records import (
    Call,
    CallbackAnswer,
    CallbackQueryRecord,
    DeliveryAttempt,
    RateViolation,
    SentMessage,
    UploadedFile,
)
from .server import DEFAULT_TOKEN, FakeBotApi

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "Call",
    "CallbackAnswer",
    "CallbackQueryRecord",
    "DeliveryAttempt",
    "FakeBot",
    "FakeBotApi",
    "RateLimits",
    "RateViolation",
    "SentMessage",
    "UploadedFile",
    "WaitTimeout",
]
