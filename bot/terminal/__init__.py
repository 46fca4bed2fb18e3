"""The terminal chat: the real flows on the real database, with no token and no network."""

from bot.terminal.chat import TerminalChat

__all__ = ["TerminalChat"]
