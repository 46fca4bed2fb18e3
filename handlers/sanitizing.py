"""Cleaning what citizens type before anything else reads it: control and bidi-override
characters are dropped (they can disguise text in staff views and exports), spaces folded."""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings/overrides/isolates, zero-width characters and the BOM.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff]")
MAX_MESSAGE_LENGTH = 4096


def clean_text(text: str) -> str:
    """NFC-normalised text without control characters; newlines and tabs are kept."""
    text = INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    kept = (ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return "".join(kept).strip()
