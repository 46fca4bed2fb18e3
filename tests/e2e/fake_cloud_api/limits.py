"""Throughput limits (per business number, per citizen) and failure injection."""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass

from .errors import DETAILS, GraphError, title
from .records import RateViolation


@dataclass(frozen=True)
class ThroughputLimits:
    """Cloud API limits: messages per second per business number (code 130429), and the pair
    rate as a token bucket per citizen (code 131056): `pair_burst` messages at once, then one
    every `pair_interval` seconds (Meta: bursts of 45, then 1 per 6 s)."""

    messages_per_second: int = 80
    pair_burst: int = 45
    pair_interval: float = 6.0
    http_status: int = 400


class RateTracker:
    """Sliding one-second window of sends, and one token bucket per citizen."""

    def __init__(self, limits: ThroughputLimits) -> None:
        """Track sends against `limits`."""
        self.limits = limits
        self._window: deque[float] = deque()
        self._buckets: dict[str, tuple[float, float]] = {}

    def _tokens(self, to: str, now: float) -> float:
        """Tokens in a citizen's bucket now."""
        tokens, at = self._buckets.get(to, (float(self.limits.pair_burst), now))
        refill = (now - at) / self.limits.pair_interval if self.limits.pair_interval > 0 else 1e9
        return min(float(self.limits.pair_burst), tokens + max(refill, 0.0))

    def check(self, to: str, now: float) -> list[RateViolation]:
        """Return the limits one more send to `to` now would exceed."""
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        violations = []
        if len(self._window) + 1 > self.limits.messages_per_second:
            violations.append(RateViolation("throughput", to, len(self._window) + 1, now))
        if self._tokens(to, now) < 1.0:
            violations.append(RateViolation("pair", to, self.limits.pair_burst + 1, now))
        return violations

    def record(self, to: str, now: float) -> None:
        """Count an accepted send to `to`."""
        self._window.append(now)
        self._buckets[to] = (self._tokens(to, now) - 1.0, now)

    def error(self, violations: list[RateViolation]) -> GraphError:
        """The error answered for the first violation."""
        code = 130429 if violations[0].kind == "throughput" else 131056
        return GraphError(
            code,
            f"(#{code}) {title(code)}",
            http_status=self.limits.http_status,
            details=DETAILS[code],
        )


@dataclass(frozen=True)
class InjectedFailure:
    """What to do instead of handling a send: `error` (answer a Graph error), `drop` (close the
    connection without an answer), `drop_after` (send, then close without an answer) or
    `async` (accept, then a `failed` status webhook)."""

    mode: str
    code: int
    http_status: int | None = None
    message: str | None = None

    def error(self) -> GraphError:
        """The synchronous error to answer."""
        return GraphError(self.code, self.message, http_status=self.http_status)


class FailurePlan:
    """A queue of injected failures for the next sends."""

    def __init__(self) -> None:
        """Start with no failures planned."""
        self._queue: deque[InjectedFailure] = deque()
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, failure: InjectedFailure, times: int) -> None:
        """Plan `failure` for the next `times` sends."""
        self._queue.extend([failure] * times)

    def take(self) -> InjectedFailure | None:
        """Pop the failure planned for this send, if any."""
        if not self._queue:
            return None
        failure = self._queue.popleft()
        self.counts[failure.mode] += 1
        return failure

    def clear(self) -> None:
        """Forget every planned failure."""
        self._queue.clear()

    def __len__(self) -> int:
        """Failures still planned."""
        return len(self._queue)
