"""Meta signs every webhook POST: `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of
the raw body with the app secret. A body is trusted only when it matches, compared in
constant time."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def signature_of(app_secret: str, body: bytes) -> str:
    return PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def is_signed(app_secret: str, body: bytes, header: str | None) -> bool:
    if not header or not header.startswith(PREFIX) or not app_secret:
        return False
    return hmac.compare_digest(signature_of(app_secret, body), header.strip())
