"""Graph-API-shaped errors raised by the fake's handlers."""

from __future__ import annotations

import secrets
from typing import Any

# The titles Meta gives its WhatsApp error codes (the webhook's `errors[].title`).
TITLES: dict[int, str] = {
    1: "An unknown error occurred",
    2: "Service temporarily unavailable",
    100: "Invalid parameter",
    190: "Invalid OAuth access token",
    130429: "Rate limit hit",
    131000: "Something went wrong",
    131009: "Parameter value is not valid",
    131016: "Service unavailable",
    131026: "Message undeliverable",
    131047: "Re-engagement message",
    131049: "This message was not delivered to maintain healthy ecosystem engagement.",
    131051: "Message type unknown",
    131053: "Media upload error",
    131056: "(Business Account, Consumer Account) pair rate limit hit",
    132000: "Number of parameters does not match the expected number of params",
    132001: "Template name does not exist in the translation",
    132018: "There was an issue with the parameters in your template.",
}

DETAILS: dict[int, str] = {
    131026: "Message Undeliverable.",
    131047: (
        "Message failed to send because more than 24 hours have passed since the customer "
        "last replied to this number."
    ),
    131051: "Message type is currently not supported.",
    131056: "Too many messages sent from this phone number to the same phone number in a short "
    "period of time.",
    130429: "Cloud API message throughput has been reached.",
}

# HTTP status of a synchronous error when the test does not choose one.
DEFAULT_HTTP_STATUS: dict[int, int] = {1: 500, 2: 503, 131000: 500, 131016: 503, 190: 401}


def title(code: int) -> str:
    """Meta's title of an error code (a generic one for codes the fake does not know)."""
    return TITLES.get(code, f"Error {code}")


def fbtrace_id() -> str:
    """A random trace id like the ones Graph puts in every error."""
    return secrets.token_urlsafe(12)[:16]


class GraphError(Exception):
    """An error answered as `{"error": {"message", "type", "code", "fbtrace_id", ...}}`."""

    def __init__(
        self,
        code: int,
        message: str | None = None,
        *,
        http_status: int | None = None,
        details: str | None = None,
        subcode: int | None = None,
        type: str = "OAuthException",
    ) -> None:
        """Keep the Graph code, the message (`(#code) title` by default) and the status."""
        self.code = code
        self.message = message or f"(#{code}) {title(code)}"
        self.http_status = http_status or DEFAULT_HTTP_STATUS.get(code, 400)
        self.details = details
        self.subcode = subcode
        self.type = type
        super().__init__(f"{self.http_status} {self.message}")

    def body(self) -> dict[str, Any]:
        """Return the JSON body Graph would answer."""
        error: dict[str, Any] = {"message": self.message, "type": self.type, "code": self.code}
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        if self.details:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        error["fbtrace_id"] = fbtrace_id()
        return {"error": error}


def invalid_token() -> GraphError:
    """401: a missing, malformed or wrong access token."""
    return GraphError(
        190, "Invalid OAuth access token - Cannot parse access token", http_status=401
    )


def missing(path: str) -> GraphError:
    """100: a required parameter is absent."""
    return GraphError(100, f"(#100) The parameter {path} is required.", details=path)


def invalid_parameter(path: str, detail: str) -> GraphError:
    """100: a parameter of the wrong type, shape or an unknown key."""
    return GraphError(
        100, f"(#100) Invalid parameter: {path}: {detail}", details=f"{path}: {detail}"
    )


def invalid_value(path: str, detail: str) -> GraphError:
    """131009: a parameter whose value is out of range (length, count, duplicates)."""
    return GraphError(
        131009,
        f"(#131009) Parameter value is not valid: {path}: {detail}",
        details=f"{path}: {detail}",
    )


def unknown_object(object_id: str, verb: str = "post") -> GraphError:
    """100 (subcode 33): an id Graph does not know (a phone number id, a media id)."""
    return GraphError(
        100,
        f"Unsupported {verb} request. Object with ID '{object_id}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation.",
        subcode=33,
        type="GraphMethodException",
    )


def status_error(code: int) -> dict[str, Any]:
    """The `errors[]` item of a `failed` status webhook."""
    return {
        "code": code,
        "title": title(code),
        "message": title(code),
        "error_data": {"details": DETAILS.get(code, title(code))},
        "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
    }
