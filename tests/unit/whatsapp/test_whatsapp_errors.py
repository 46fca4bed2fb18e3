"""Graph API error codes mapped to what the outbox sender does about them."""

from __future__ import annotations

import pytest

from bot.delivery_errors import (
    OutsideWindow,
    Rejected,
    RetryLater,
    TransientNetworkError,
    Unreachable,
)
from bot.whatsapp.cloud_api import delivery_error, delivery_error_of_code


@pytest.mark.parametrize(
    ("status", "code", "outcome"),
    [
        (400, 130429, RetryLater),  # throughput of the business number
        (400, 131056, RetryLater),  # pair rate limit: one person, too fast
        (429, 0, RetryLater),
        (400, 131047, OutsideWindow),  # more than 24 h since the citizen wrote
        (400, 131026, Unreachable),  # undeliverable: blocked, or not on WhatsApp
        (400, 100, Rejected),
        (400, 131009, Rejected),
        (400, 132001, Rejected),  # no such template
        (500, 131000, TransientNetworkError),
        (401, 190, TransientNetworkError),  # the access token: fixed by the operator, kept
        (503, 0, TransientNetworkError),
    ],
)
def test_each_code_has_its_outcome(status, code, outcome):
    assert type(delivery_error(status, {"error": {"code": code, "message": "…"}})) is outcome


def test_a_pair_limit_waits_longer_than_a_throughput_limit():
    pair = delivery_error(400, {"error": {"code": 131056}})
    number = delivery_error(400, {"error": {"code": 130429}})
    assert isinstance(pair, RetryLater) and isinstance(number, RetryLater)
    assert pair.seconds > number.seconds


def test_a_failed_status_reads_the_same_way():
    assert isinstance(delivery_error_of_code(131047), OutsideWindow)
    assert isinstance(delivery_error_of_code(131026), Unreachable)
    assert isinstance(delivery_error(400, "not json"), Rejected)  # type: ignore[arg-type]
