"""Keyed hashes of citizen ids (HMAC-SHA256 with the PSEUDONYM_KEY setting): stable and not
reversible without the key.

- `pseudonym`: the citizen's id in exports — the same formula as complaint exports, so
  one person has one pseudonym across the commune's exports;
- `dedupe_token`: recognises a second response to a consultation, anonymous ones
  included, without storing who answered (domain-separated: it never equals a pseudonym).
  It is keyed on the person's channel account, not on their citizen id: an anonymous
  response outlives its author's erasure, and whoever consents again is still the one
  person who answered (the privacy text says so).
"""

from __future__ import annotations

import hashlib
import hmac

# Only for development and tests: a deployment must set PSEUDONYM_KEY (see .env.example).
UNSET_KEY = "tachawor-development-key-set-PSEUDONYM_KEY"


def _digest(key: str, message: str) -> str:
    return hmac.new((key or UNSET_KEY).encode(), message.encode(), hashlib.sha256).hexdigest()


def pseudonym(key: str, citizen_id: int) -> str:
    """A citizen's stable pseudonym: the first 16 hex digits of HMAC-SHA256(key, id)."""
    return _digest(key, str(citizen_id))[:16]


def dedupe_token(key: str, consultation_key: str, channel: str, channel_user_id: str) -> str:
    """64 hex digits that are the same for each response of one person (one account on
    one channel) to one consultation, across erasures and new consents."""
    return _digest(key, f"consultation:{consultation_key}:{channel}:{channel_user_id}")
