"""State shared by the fake's mixins: the clock, citizens, records, the webhook queue."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import secrets
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .limits import FailurePlan, RateTracker, ThroughputLimits
from .records import (
    Call,
    DeliveryAttempt,
    RateViolation,
    SentMessage,
    StoredMedia,
    Template,
    WebhookEvent,
)

DEFAULT_ACCESS_TOKEN = "EAAG-tachawor-test-access-token"
DEFAULT_PHONE_NUMBER_ID = "109876543210987"
DEFAULT_DISPLAY_PHONE_NUMBER = "212522000000"
DEFAULT_WABA_ID = "102290129340398"
DAY = 24 * 3600.0

Clock = Callable[[], float]
Listener = Callable[[str, SentMessage], None]


@dataclass
class CloudConfig:
    """Settings of one fake server (mutable between test steps)."""

    access_token: str = DEFAULT_ACCESS_TOKEN
    phone_number_id: str = DEFAULT_PHONE_NUMBER_ID
    display_phone_number: str = DEFAULT_DISPLAY_PHONE_NUMBER
    waba_id: str = DEFAULT_WABA_ID
    enforce_rates: bool = False
    limits: ThroughputLimits = field(default_factory=ThroughputLimits)
    window_seconds: float = DAY
    webhook_retry_delay: float = 0.05
    webhook_max_attempts: int = 5
    webhook_timeout: float = 10.0
    status_delay: float = 0.02
    auto_statuses: bool = True
    media_url_ttl: float = 300.0
    escape_slashes: bool = True


@dataclass(frozen=True)
class WebhookConfig:
    """Where events go and the app secret that signs them."""

    url: str
    app_secret: str


class CloudCore:
    """The fake's state; the mixins add citizens' actions, sends, media and webhooks."""

    def __init__(self, config: CloudConfig, clock: Clock | None = None) -> None:
        """Start with no citizens, no messages and no webhook."""
        self.config = config
        self.clock: Clock = clock or time.time
        self._clock_offset = 0.0
        self.names: dict[str, str] = {}
        self.last_inbound: dict[str, float] = {}
        self.blocked: set[str] = set()
        self.calls: list[Call] = []
        self.sent_messages: list[SentMessage] = []
        self.inbound: dict[str, dict[str, Any]] = {}
        self.media: dict[str, StoredMedia] = {}
        self.templates: dict[tuple[str, str], Template] = {}
        self.read_receipts: list[str] = []
        self.typing_indicators: list[str] = []
        self.events: list[WebhookEvent] = []
        self.deliveries: list[DeliveryAttempt] = []
        self.rate_violations: list[RateViolation] = []
        self.internal_errors: list[BaseException] = []
        self.listeners: list[Listener] = []
        self.failures = FailurePlan()
        self.rates = RateTracker(config.limits)
        self.webhook: WebhookConfig | None = None
        self._sent_index: dict[str, SentMessage] = {}
        self._sent_to: dict[str, list[SentMessage]] = defaultdict(list)
        self._log: dict[str, list[str]] = defaultdict(list)
        self._pending: list[WebhookEvent] = []
        self._event_ids = itertools.count(1)
        self._counter = itertools.count(1)
        self._wakeup = asyncio.Event()
        self._closing = False

    # --- the clock --------------------------------------------------------------------
    def now(self) -> float:
        """The fake's "now" (Unix seconds): `clock()` plus what `advance_clock` added."""
        return self.clock() + self._clock_offset

    def advance_clock(self, seconds: float) -> None:
        """Move the fake's clock forward (`advance_clock(25 * 3600)`: the next day)."""
        self._clock_offset += seconds

    def set_clock(self, clock: Clock) -> None:
        """Read "now" from `clock` from now on (the offset of `advance_clock` is reset)."""
        self.clock = clock
        self._clock_offset = 0.0

    def _timestamp(self) -> str:
        """The current time as the webhooks' string `timestamp`."""
        return str(int(self.now()))

    # --- ids ----------------------------------------------------------------------------
    def _new_wamid(self, wa_id: str) -> str:
        """A fresh, unique message id shaped like Meta's (`wamid.HBgL…`)."""
        raw = f"{wa_id}:{next(self._counter)}:{secrets.token_hex(6)}".encode()
        return "wamid.HBgL" + base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def _new_media_id(self) -> str:
        """A fresh numeric media id."""
        return str(1_000_000_000_000_000 + next(self._counter) * 7919 + secrets.randbelow(7919))

    # --- citizens -----------------------------------------------------------------------
    def add_user(self, wa_id: str, name: str | None = None) -> None:
        """Make a citizen known (their profile name) without them writing."""
        if name or wa_id not in self.names:
            self.names[wa_id] = name or f"Citizen {wa_id[-4:]}"

    def window_open(self, wa_id: str) -> bool:
        """Whether free-form messages to this citizen are delivered now (they wrote in the
        last 24 hours)."""
        last = self.last_inbound.get(wa_id)
        return last is not None and self.now() - last <= self.config.window_seconds

    def _log_line(self, wa_id: str, line: str) -> None:
        """Append a line to a citizen's transcript."""
        self._log[wa_id].append(line)

    # --- webhook events -----------------------------------------------------------------
    def _metadata(self) -> dict[str, str]:
        """`value.metadata` of every event."""
        return {
            "display_phone_number": self.config.display_phone_number,
            "phone_number_id": self.config.phone_number_id,
        }

    def _serialise(self, payload: dict[str, Any]) -> bytes:
        """JSON as Meta writes it: non-ASCII as \\uXXXX and, by default, `/` as `\\/`."""
        text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
        if self.config.escape_slashes:
            text = text.replace("/", "\\/")
        return text.encode("ascii")

    def _queue_event(self, kind: str, value: dict[str, Any]) -> WebhookEvent:
        """Wrap `value` in the WhatsApp Business Account envelope and queue it."""
        payload = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": self.config.waba_id,
                    "changes": [
                        {
                            "value": {"messaging_product": "whatsapp", **value},
                            "field": "messages",
                        }
                    ],
                }
            ],
        }
        event = WebhookEvent(next(self._event_ids), kind, self._serialise(payload), time.time())
        self.events.append(event)
        self._queue(event)
        return event

    def _queue(self, event: WebhookEvent) -> None:
        """Add an event to the pending queue and wake the sender."""
        self._pending.append(event)
        self._notify()

    def _notify(self) -> None:
        """Wake everything waiting for a change of the pending queue."""
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    @property
    def pending_events(self) -> list[WebhookEvent]:
        """Events not delivered yet (no webhook, or still being retried)."""
        return list(self._pending)
