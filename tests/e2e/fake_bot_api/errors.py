"""Telegram-shaped API errors raised by the fake's method handlers."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error answered as `{"ok": false, "error_code": ..., "description": ...}`."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        """Keep the HTTP status, Telegram's description and optional `parameters`."""
        super().__init__(f"{error_code} {description}")
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        """Return the JSON body Telegram would answer."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    """Return a 400 error with Telegram's `Bad Request: ` prefix."""
    return ApiError(400, f"Bad Request: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """Return a 429 error carrying `parameters.retry_after`."""
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


def blocked_by_user() -> ApiError:
    """Return the 403 Telegram answers when the citizen blocked the bot."""
    return ApiError(403, "Forbidden: bot was blocked by the user")


DEFAULT_DESCRIPTIONS: dict[int, str] = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def injected_error(
    error_code: int, retry_after: int | None = None, description: str | None = None
) -> ApiError:
    """Build the error for a `fail_next` injection."""
    if error_code == 429:
        error = too_many_requests(retry_after or 1)
        if description:
            error.description = description
        return error
    params = {"retry_after": retry_after} if retry_after else None
    text = description or DEFAULT_DESCRIPTIONS.get(error_code, f"Error {error_code}")
    return ApiError(error_code, text, params)
