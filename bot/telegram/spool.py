"""Updates that arrived while the database could not store them.

Long polling acknowledges an update as soon as it is fetched (the next getUpdates moves
the offset past it), so an update the inbox cannot take would be gone for good. It is
kept here instead — one JSON object per line, flushed to disk before going on — and
stored as soon as the database answers again, oldest first; updates that arrive while
some wait queue behind them, so each chat keeps its order. The file holds what citizens
wrote: it is emptied as soon as its updates are stored, and lives beside the database.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from storage.database import DATABASE_UNAVAILABLE

logger = logging.getLogger(__name__)

Update = Mapping[str, Any]


class UpdateSpool:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._waiting: list[Update] = self._read()
        if self._waiting:
            logger.warning("%d update(s) waiting in %s from an earlier run", len(self), path)

    def __len__(self) -> int:
        return len(self._waiting)

    def keep(self, update: Update) -> None:
        """Keep one more update, on disk before this returns."""
        self._waiting.append(update)
        _append(self.path, update)

    @property
    def set_aside_path(self) -> Path:
        """Where an update that fails for another reason than an outage is moved."""
        return self.path.with_name(self.path.name + ".failed")

    async def replay(self, store: Callable[[Update], Awaitable[None]]) -> int:
        """Hand the waiting updates to `store`, oldest first, until one fails because the
        database is still unavailable (it and the rest keep waiting); how many left. One
        that fails otherwise (a bug) is set aside for the operator instead of blocking
        everyone behind it."""
        handed = 0
        try:
            while self._waiting:
                try:
                    await store(self._waiting[0])
                except DATABASE_UNAVAILABLE:
                    raise
                except Exception:
                    logger.exception("a spooled update failed: moved to %s", self.set_aside_path)
                    _append(self.set_aside_path, self._waiting[0])
                self._waiting.pop(0)
                handed += 1
        except DATABASE_UNAVAILABLE as error:
            name = type(error).__name__
            logger.warning("database still unavailable (%s): %d wait", name, len(self))
        finally:
            if handed:
                self._rewrite()
        return handed

    def _read(self) -> list[Update]:
        if not self.path.exists():
            return []
        waiting = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            try:
                waiting.append(json.loads(line))
            except json.JSONDecodeError:  # a line cut short by a crash while writing it
                logger.error("line %d of %s is not an update: skipped", number, self.path)
        return waiting

    def _rewrite(self) -> None:
        """The file holds exactly the updates still waiting (replaced in one step)."""
        if not self._waiting:
            self.path.unlink(missing_ok=True)
            return
        partial = self.path.with_name(self.path.name + ".partial")
        with partial.open("w", encoding="utf-8") as spool:
            for update in self._waiting:
                spool.write(json.dumps(update, ensure_ascii=False) + "\n")
            spool.flush()
            os.fsync(spool.fileno())
        os.replace(partial, self.path)


def _append(path: Path, update: Update) -> None:
    """One more line, on disk before this returns."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as spool:
        spool.write(json.dumps(update, ensure_ascii=False) + "\n")
        spool.flush()
        os.fsync(spool.fileno())
