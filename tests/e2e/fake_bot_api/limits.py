"""Rate-limit tracking and failure injection."""

from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass

from .errors import ApiError, injected_error
from .records import RateViolation


@dataclass(frozen=True)
class RateLimits:
    """Telegram's sending limits: total per second, per private chat, per group and minute."""

    total_per_second: int = 30
    private_chat_per_second: int = 1
    group_per_minute: int = 20


@dataclass(frozen=True)
class InjectedFailure:
    """An error to answer instead of handling the next call of a method."""

    error_code: int
    retry_after: int | None
    description: str | None

    def error(self) -> ApiError:
        """Return the API error to answer."""
        return injected_error(self.error_code, self.retry_after, self.description)


class FailurePlan:
    """Queues of injected failures per method name (`*` matches every method)."""

    def __init__(self) -> None:
        """Start with no failures planned."""
        self._queues: dict[str, deque[InjectedFailure]] = defaultdict(deque)

    def add(self, method: str, failure: InjectedFailure, times: int) -> None:
        """Plan `failure` for the next `times` calls of `method`."""
        self._queues[method.lower()].extend([failure] * times)

    def take(self, method: str) -> InjectedFailure | None:
        """Pop the failure planned for this call of `method`, if any."""
        for key in (method.lower(), "*"):
            queue = self._queues.get(key)
            if queue:
                return queue.popleft()
        return None

    def clear(self) -> None:
        """Forget every planned failure."""
        self._queues.clear()


class RateTracker:
    """Sliding windows of successful sends, globally and per chat."""

    def __init__(self, limits: RateLimits) -> None:
        """Track sends against `limits`."""
        self.limits = limits
        self._total: deque[float] = deque()
        self._per_chat: dict[int, deque[float]] = defaultdict(deque)

    @staticmethod
    def _recent(window: deque[float], now: float, span: float) -> deque[float]:
        """Drop timestamps older than `span` seconds and return the window."""
        while window and window[0] <= now - span:
            window.popleft()
        return window

    def check(self, chat_id: int, chat_type: str, method: str, now: float) -> list[RateViolation]:
        """Return the limits one more send to `chat_id` now would exceed."""
        violations = []
        total = self._recent(self._total, now, 1.0)
        if len(total) + 1 > self.limits.total_per_second:
            violations.append(RateViolation("total", chat_id, method, len(total) + 1, 1.0, now))
        if chat_type == "private":
            span, limit, kind = 1.0, self.limits.private_chat_per_second, "private_chat"
        else:
            span, limit, kind = 60.0, self.limits.group_per_minute, "group"
        chat = self._recent(self._per_chat[chat_id], now, span)
        if len(chat) + 1 > limit:
            violations.append(RateViolation(kind, chat_id, method, len(chat) + 1, span, now))
        return violations

    def retry_after(self, violations: list[RateViolation], chat_id: int, now: float) -> int:
        """Return whole seconds until the violated windows have room again."""
        waits = [1.0]
        for v in violations:
            window = self._total if v.kind == "total" else self._per_chat[chat_id]
            if window:
                waits.append(window[0] + v.window - now)
        return max(1, math.ceil(max(waits)))

    def record(self, chat_id: int, now: float) -> None:
        """Count a successful send to `chat_id`."""
        self._total.append(now)
        self._per_chat[chat_id].append(now)
