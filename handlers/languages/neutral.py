"""What in a message says nothing about its language, taken out before the detector looks:
place names of Taroudant, complaint tracking numbers, links, addresses, handles and
bot commands (/start).

"Talmqalat", "TRD-26-7K3Q9" or "https://..." read the same in every language; left in, they
would pass for Darija, Tachelhit or English words.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from handlers.languages.markers import PLACE_NAMES
from handlers.languages.spelling import normalise

# TRD-26-7K3Q9 in any case with a dash; without one, in capitals (TRD 26 ABCDE) or with
# letters and digits mixed in the code (trd 26 7k3q9): "wach 15 minut" is no number.
_TRACKING_NUMBER: Final = re.compile(
    r"(?<![^\W_])(?:"
    r"(?i:[a-z]{2,5}[-_./]\d{2}[-_./]?[0-9a-z]{5}|[a-z]{2,5}[-_./]?\d{2}[-_./][0-9a-z]{5})"
    r"|[A-Z]{2,5} ?\d{2} ?[0-9A-Z]{5}"
    r"|(?i:[a-z]{2,5} ?\d{2} ?(?=[a-z]*\d)(?=\d*[a-z])[0-9a-z]{5})"
    r")(?![^\W_])"
)
_LINK: Final = re.compile(r"(?i)(?:https?://|www\.)\S+|\S+@\S+\.\w+|[@#]\w+|(?<!\S)/\w+")
# A clitic glued to an Arabic place name: و (and), ب, ل, or ف (in), which only Darija
# writes glued, so it is kept as a word of its own ("فدرب الجديد" -> "ف").
_ARABIC_CLITIC: Final = "(و?[فبل]?)"


@cache
def _places() -> re.Pattern[str]:
    latin, arabic = [], []
    for name in PLACE_NAMES:
        spelled = r"[\s\-']*".join(re.escape(normalise(word)) for word in name.split())
        if "\u0600" <= name[0] <= "\u06ff":
            arabic.append(spelled)
            if spelled.startswith("ال"):
                arabic.append(spelled[1:])  # للمدينة: ل + المدينة
        else:
            latin.append(spelled)
    latin.sort(key=len, reverse=True)
    arabic.sort(key=len, reverse=True)
    return re.compile(
        rf"(?<![^\W_])(?:{'|'.join(latin)}|{_ARABIC_CLITIC}(?:{'|'.join(arabic)}))(?![^\W_])"
    )


def without_neutral(text: str) -> str:
    """The normalised text (see `spelling.normalise`) without what says nothing about
    its language; a Darija ف glued to a place name stays."""
    text = _LINK.sub(" ", _TRACKING_NUMBER.sub(" ", text))
    return _places().sub(lambda match: f" {match.group(1) or ''} ", normalise(text))
