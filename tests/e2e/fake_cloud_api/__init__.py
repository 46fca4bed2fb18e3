"""A fake WhatsApp Cloud API (Graph API) server for end-to-end tests, on 127.0.0.1.

    async with FakeCloudApi(clock=clock) as fake:      # clock: () -> Unix seconds
        fake.set_webhook(adapter_url, app_secret)      # signed, retried POSTs
        fake.add_template("rappel", "fr", body="Réclamation {{1}}")
        wamid = fake.user_sends_text("212600000001", "Salam")
        ...                                            # the adapter POSTs to fake.messages_url
        await fake.wait_for_messages("212600000001", 1)
        fake.user_presses_button("212600000001", "Oui")
        fake.advance_clock(25 * 3600)                  # free-form now fails with 131047

By hand: `python -m tests.e2e.fake_cloud_api --port 9090 --webhook URL --app-secret S`.
"""

from .errors import GraphError
from .limits import ThroughputLimits
from .messaging import ConnectionDropped
from .records import (
    Call,
    DeliveryAttempt,
    RateViolation,
    SentMessage,
    StoredMedia,
    Template,
    WebhookEvent,
)
from .server import DEFAULT_API_VERSION, FakeCloudApi, WaitTimeout
from .state import (
    DAY,
    DEFAULT_ACCESS_TOKEN,
    DEFAULT_DISPLAY_PHONE_NUMBER,
    DEFAULT_PHONE_NUMBER_ID,
    DEFAULT_WABA_ID,
)
from .webhooks import Verification, sign

__all__ = [
    "DAY",
    "DEFAULT_ACCESS_TOKEN",
    "DEFAULT_API_VERSION",
    "DEFAULT_DISPLAY_PHONE_NUMBER",
    "DEFAULT_PHONE_NUMBER_ID",
    "DEFAULT_WABA_ID",
    "Call",
    "ConnectionDropped",
    "DeliveryAttempt",
    "FakeCloudApi",
    "GraphError",
    "RateViolation",
    "SentMessage",
    "StoredMedia",
    "Template",
    "ThroughputLimits",
    "Verification",
    "WaitTimeout",
    "WebhookEvent",
    "sign",
]
