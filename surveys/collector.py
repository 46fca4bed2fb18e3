"""Reading many responses with Python's cyclic garbage collector paused.

A batch of responses is thousands of rows and lists, all alive until the batch is done,
so the collector's passes (triggered every few hundred allocations, and over the whole
heap once enough objects survive) find nothing to free, yet took half the time of
reading. Reference counting still frees everything as usual; only cycles wait until the
collector runs again, at the end."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block (left as it was if already paused)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
