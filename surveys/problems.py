"""Problems found while loading a consultation, each named by where it is (a field, a
question key, a spreadsheet row), collected so one pass reports them all."""

from __future__ import annotations


class DefinitionError(ValueError):
    """A consultation file that cannot be used; `problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Problems:
    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.found.append(f"{where}: {message}")

    def error(self) -> DefinitionError:
        return DefinitionError(list(self.found))

    def raise_if_any(self) -> None:
        if self.found:
            raise self.error()
