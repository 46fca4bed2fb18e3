"""Citizens: first contact and consent (onboarding), My data, and the public information
(About, Privacy, Help). Importing the package registers their flows and menu entries."""

from handlers.citizens.information import privacy_text
from handlers.citizens.my_data import open_my_data
from handlers.citizens.onboarding import start_onboarding

__all__ = ["open_my_data", "privacy_text", "start_onboarding"]
