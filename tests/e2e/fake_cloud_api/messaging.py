"""`POST /{phone_number_id}/messages`: sends, read receipts, the 24-hour window, statuses."""

from __future__ import annotations

import asyncio
from typing import Any

from . import validation
from .errors import GraphError, invalid_parameter, invalid_value
from .limits import InjectedFailure
from .records import SentMessage
from .users import UserActions

READ_KEYS = frozenset({"messaging_product", "status", "message_id", "typing_indicator"})


class ConnectionDropped(Exception):
    """The fake closes the connection without answering (an injected failure)."""


class Messaging(UserActions):
    """Accepting (or refusing) what the business sends."""

    def _init_messaging(self) -> None:
        """Initialise the timers of pending status webhooks."""
        self._timers: list[asyncio.TimerHandle] = []
        self._outstanding = 0

    def send(self, payload: Any) -> dict[str, Any]:
        """Handle one `/messages` body; return the JSON answer or raise `GraphError`."""
        if isinstance(payload, dict) and "status" in payload:
            return self._mark_read(payload)
        failure = self.failures.take()
        if failure is not None and failure.mode == "drop":
            raise ConnectionDropped
        if failure is not None and failure.mode == "error":
            raise failure.error()
        out = validation.message(payload, self.templates, self.media_exists)
        now = self.now()
        violations = self.rates.check(out.to, now)
        if violations:
            self.rate_violations.extend(violations)
            if self.config.enforce_rates:
                raise self.rates.error(violations)
        self.rates.record(out.to, now)
        if failure is not None and failure.mode == "drop_after":
            self._accept(out, payload, None)
            raise ConnectionDropped  # sent, but the business never learns its wamid
        return self._accept(out, payload, failure)

    def _accept(
        self, out: validation.Outgoing, payload: dict[str, Any], failure: InjectedFailure | None
    ) -> dict[str, Any]:
        """Record an accepted message, decide its fate and schedule its status webhooks."""
        self.add_user(out.to)
        sent = SentMessage(
            wamid=self._new_wamid(out.to),
            to=out.to,
            type=out.type,
            payload=payload,
            text=out.text,
            sent_at=self.now(),
            buttons=out.buttons,
            rows=out.rows,
            template=out.template.name if out.template else None,
            category=out.template.category.lower() if out.template else "service",
        )
        self.sent_messages.append(sent)
        self._sent_to[out.to].append(sent)
        self._sent_index[sent.wamid] = sent
        code: int | None = None
        if failure is not None:
            code = failure.code
        elif out.to in self.blocked:
            code = 131026
        elif out.free_form and not self.window_open(out.to):
            code = 131047
        mark = f" ✗{code}" if code else ""
        self._log_line(out.to, f"business{mark}: {out.line}")
        for listener in list(self.listeners):
            listener("accepted", sent)
        self._schedule(sent, code)
        message: dict[str, Any] = {"id": sent.wamid}
        if out.template is not None:
            message["message_status"] = "accepted"
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": out.to, "wa_id": out.to}],
            "messages": [message],
        }

    def _schedule(self, sent: SentMessage, code: int | None) -> None:
        """Queue the statuses shortly after the answer (`sent`+`delivered`, or `failed`)."""

        def report() -> None:
            self._outstanding -= 1
            try:
                if code is not None:
                    self._queue_status(sent, "failed", code)
                elif self.config.auto_statuses:
                    self._queue_status(sent, "sent")
                    self._queue_status(sent, "delivered")
            except Exception as error:  # a bug of the fake: keep it for the test
                self.internal_errors.append(error)
                raise

        loop = asyncio.get_running_loop()
        self._outstanding += 1
        now = loop.time()
        self._timers = [t for t in self._timers if not t.cancelled() and t.when() > now]
        self._timers.append(loop.call_later(self.config.status_delay, report))

    def _cancel_timers(self) -> None:
        """Forget status webhooks not queued yet (the server stops)."""
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        self._outstanding = 0

    def _mark_read(self, payload: dict[str, Any]) -> dict[str, Any]:
        """`{"status": "read", "message_id": …}`: blue ticks (and a typing indicator)."""
        validation.keys(payload, "body", READ_KEYS)
        if payload.get("messaging_product") != "whatsapp":
            raise invalid_parameter("messaging_product", "must be 'whatsapp'")
        if payload["status"] != "read":
            raise invalid_value("status", f"must be 'read', not {payload['status']!r}")
        message_id = validation.string(payload, "message_id", "body") or ""
        if message_id not in self.inbound:
            raise GraphError(
                100, f"(#100) Invalid parameter: message_id: unknown message {message_id!r}"
            )
        indicator = validation.optional_obj(payload, "typing_indicator", "body")
        if indicator is not None:
            validation.keys(indicator, "typing_indicator", {"type"})
            if indicator.get("type") != "text":
                raise invalid_value("typing_indicator['type']", "must be 'text'")
            self.typing_indicators.append(message_id)
        self.read_receipts.append(message_id)
        return {"success": True}

    # --- what the business did --------------------------------------------------------
    def message(self, wamid: str) -> SentMessage:
        """The business message with this id."""
        return self._sent_index[wamid]

    def messages_to(self, wa_id: str, *, include_failed: bool = True) -> list[SentMessage]:
        """Messages accepted for a citizen, in order (`include_failed=False`: what they saw)."""
        return [m for m in self._sent_to.get(wa_id, []) if include_failed or m.seen]

    def seen_by(self, wa_id: str) -> list[str]:
        """Texts the citizen actually received, in order (failed messages left out)."""
        return [m.text for m in self.messages_to(wa_id, include_failed=False)]

    def last_message_to(self, wa_id: str) -> SentMessage:
        """The latest message accepted for a citizen."""
        messages = self.messages_to(wa_id)
        if not messages:
            raise AssertionError(f"the business sent nothing to {wa_id}")
        return messages[-1]

    def transcript(self, wa_id: str) -> list[str]:
        """The conversation with a citizen, one line per event (`user: …`, `business: …`;
        `business ✗131047: …` for a message that failed)."""
        return list(self._log.get(wa_id, []))
