"""The Telegram channel: thin adapters (python-telegram-bot 22 or aiogram 3) around the core."""

from bot.telegram.runner import RunOptions, TelegramRefused, run_polling, run_webhook

__all__ = ["RunOptions", "TelegramRefused", "run_polling", "run_webhook"]
