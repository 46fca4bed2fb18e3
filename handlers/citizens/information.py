"""Public information anyone can read, consent or not: About, Privacy and Help."""

from __future__ import annotations

from handlers.flows import MenuEntry, register_menu_entry
from handlers.menu import show_menu
from handlers.turns import Turn


def privacy_params(turn: Turn) -> dict[str, object]:
    """Who is responsible, whom to contact, the CNDP declaration and the retention period."""
    settings = turn.settings
    return {
        "commune": turn.commune,
        "contact": settings.privacy_contact or turn.t("privacy.default_contact"),
        "cndp": settings.cndp_declaration or turn.t("privacy.cndp_pending"),
        "retention_months": settings.retention_months,
    }


def privacy_text(turn: Turn) -> str:
    return turn.t("privacy.text", **privacy_params(turn))


async def show_about(turn: Turn) -> None:
    """The citizen reads the commune's charter of citizen participation, in brief."""
    await show_menu(turn, turn.t("about.text", commune=turn.commune))


async def show_privacy(turn: Turn) -> None:
    """The citizen reads what is kept about them, why, how long, and their rights."""
    await show_menu(turn, privacy_text(turn))


async def show_help(turn: Turn) -> None:
    """The citizen reads the commands the bot understands."""
    await show_menu(turn, turn.t("help.text"))


register_menu_entry(MenuEntry("about", "menu.about", show_about, order=80, public=True))
register_menu_entry(MenuEntry("privacy", "menu.privacy", show_privacy, order=85, public=True))
register_menu_entry(MenuEntry("help", "menu.help", show_help, order=90, public=True))
