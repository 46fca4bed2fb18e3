"""Printing to a pipe that may close early (`tachawor consultations results … | head`): once
the reader is gone, the rest of the output is dropped, and the command still does the rest
of its work — the charts it was asked to write, say — instead of dying on a broken pipe."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO


class ForgivingOutput:
    """Standard output whose writes stop mattering, not failing, once its reader left."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def _reader_left(self) -> None:
        # Later writes, and the flush at exit, go nowhere instead of raising again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())
        os.close(devnull)

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._reader_left()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._reader_left()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def output_to_a_pipe_that_may_close() -> Iterator[None]:
    original = sys.stdout
    sys.stdout = ForgivingOutput(original)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stdout = original
