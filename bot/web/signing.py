"""Signed values for cookies and forms: an HMAC-SHA256 with the back-office key, which is
WEB_SECRET_KEY or, unset, derived from PSEUDONYM_KEY (so the embedded default needs no
new secret; setting WEB_SECRET_KEY ends every session at once)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from bot.settings import Settings

KEY_PURPOSE = b"tachawor back-office cookies"


def _mac(key: bytes, message: str) -> str:
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class Signer:
    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def from_settings(cls, settings: Settings) -> Signer:
        if settings.web_secret_key is not None:
            return cls(settings.web_secret_key.get_secret_value().encode())
        if settings.pseudonym_key is None:
            raise ValueError("WEB_SECRET_KEY or PSEUDONYM_KEY must be set")
        base = settings.pseudonym_key.get_secret_value().encode()
        return cls(hmac.new(base, KEY_PURPOSE, hashlib.sha256).digest())

    def sign(self, value: str) -> str:
        return f"{value}.{_mac(self._key, 'value:' + value)}"

    def unsign(self, signed: str) -> str | None:
        """The value, if the signature is ours; else None."""
        value, _, signature = signed.rpartition(".")
        if not value or not hmac.compare_digest(signature, _mac(self._key, "value:" + value)):
            return None
        return value

    def csrf_token(self, holder: str) -> str:
        """The token a form must carry for the visitor holding this cookie value."""
        return _mac(self._key, "csrf:" + holder)

    def csrf_matches(self, holder: str, token: str) -> bool:
        return hmac.compare_digest(self.csrf_token(holder), token)
