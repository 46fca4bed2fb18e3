"""What citizens can file, as data: the three kinds (as on chikaya.ma) and the categories,
each with its deadlines. This is the one place the deadlines live: filing, reminders and
statistics all read them from here.

A category's label is the catalog key `complaint.category.<id>`; add a row here and that
key in every catalog to offer a new category.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

KINDS = ("complaint", "observation", "suggestion")
KIND_EMOJI = {"complaint": "📣", "observation": "👁️", "suggestion": "💡"}

# Decree 2-17-265 (2017), as announced with chikaya.ma: an acknowledgement within 15 days,
# an answer within 60.
ACKNOWLEDGE_DAYS = 15
ANSWER_DAYS = 60


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    emoji: str
    acknowledge_days: int = ACKNOWLEDGE_DAYS
    answer_days: int = ANSWER_DAYS

    @property
    def label_key(self) -> str:
        return f"complaint.category.{self.id}"

    @property
    def acknowledge_within(self) -> timedelta:
        return timedelta(days=self.acknowledge_days)

    @property
    def answer_within(self) -> timedelta:
        return timedelta(days=self.answer_days)


CATEGORIES: dict[str, Category] = {
    category.id: category
    for category in (
        Category("roads", "🛣️"),
        Category("lighting", "💡"),
        Category("waste", "🗑️"),
        Category("water", "🚰"),
        Category("green_spaces", "🌳"),
        Category("noise", "🔊"),
        Category("public_space", "🚧"),
        Category("administration", "🏛️"),
        Category("other", "📌"),
    )
}


def category_of(category_id: str) -> Category:
    """The category of a stored complaint (an id no longer offered counts as "other")."""
    return CATEGORIES.get(category_id, CATEGORIES["other"])
