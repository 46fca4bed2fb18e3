"""Typed requests: what a citizen asks for in their own words ("bghit n9dm chikaya",
"réclamation", "شكاية", "ⵜⴰⵛⴽⴰⵢⵜ"), read with the vocabulary in `vocabulary/` (a file per
way of writing), and followed. Capabilities say where each request leads with
`handlers.flows.register_request_target`; steps hand input they cannot take to
`handlers.flows.not_an_answer`, which asks this package first."""

from handlers.intents.recognition import Match, Recognition, recognise, words_in_common
from handlers.intents.requests import (
    follow_pending_request,
    follow_typed_request,
    remember_request,
)
from handlers.intents.vocabulary import INTENTS, SOCIAL, VocabularyError, load_vocabulary

__all__ = [
    "INTENTS",
    "SOCIAL",
    "Match",
    "Recognition",
    "VocabularyError",
    "follow_pending_request",
    "follow_typed_request",
    "load_vocabulary",
    "recognise",
    "remember_request",
    "words_in_common",
]
