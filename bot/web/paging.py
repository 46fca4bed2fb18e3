"""Pages of a long list: which rows a `?page=N` shows, and the links to its neighbours
that keep the other filters of the address."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

PAGE_SIZE = 50


def page_number(query: Mapping[str, str]) -> int:
    """The page asked for; anything but a positive whole number is page 1."""
    raw = query.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 1_000_000 else 1


@dataclass(frozen=True, slots=True)
class Paging:
    number: int
    total: int
    query: tuple[tuple[str, str], ...]  # the other parameters, kept in the links
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (min(self.number, self.pages) - 1) * self.size

    @property
    def first_row(self) -> int:
        return 0 if self.total == 0 else self.offset + 1

    @property
    def last_row(self) -> int:
        return min(self.total, self.offset + self.size)

    def link(self, number: int) -> str:
        return "?" + urlencode([*self.query, ("page", str(number))])

    @property
    def previous(self) -> str | None:
        return self.link(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.link(self.number + 1) if self.number < self.pages else None


def paging(query: Mapping[str, str], total: int, size: int = PAGE_SIZE) -> Paging:
    kept = tuple((k, v) for k, v in query.items() if k != "page" and v)
    return Paging(page_number(query), total, kept, size)
