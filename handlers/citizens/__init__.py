"""Citizens: first contact and consent (onboarding), the optional profile (quarter,
gender, age bracket), My data, and the public information (About, Privacy, Help).
Importing the package registers their flows and menu entries."""

from handlers.citizens.information import privacy_text
from handlers.citizens.my_data import open_my_data
from handlers.citizens.onboarding import start_onboarding
from handlers.citizens.profile import (
    ask_profile_first,
    field_value_label,
    open_profile,
    register_resumption,
)

__all__ = [
    "ask_profile_first",
    "field_value_label",
    "open_my_data",
    "open_profile",
    "privacy_text",
    "register_resumption",
    "start_onboarding",
]
