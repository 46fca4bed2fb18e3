"""Golden conversation transcripts: whole dialogues written as YAML in tests/transcripts/,
replayed through the core on SQLite and PostgreSQL with a fixed clock. Staff review the
wording there; after an intended wording change, regenerate with

    UPDATE_TRANSCRIPTS=1 pytest tests/test_transcripts.py
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from random import Random
from typing import Any

import pytest
import yaml

from handlers.conversation_core import ConversationCore
from handlers.sanitizing import INVISIBLE
from handlers.types import ButtonPress, Location, Media, Outgoing, Payload, Text
from tests.consultations import open_for_transcript
from tests.dialogue import Citizen
from tests.workshop_rows import open_workshops_for_transcript

TRANSCRIPTS = sorted((Path(__file__).parent / "transcripts").glob("*.yaml"))
UPDATE = os.environ.get("UPDATE_TRANSCRIPTS") == "1"
ACTIONS = ("says", "press", "command", "sends", "forged_button")


class TranscriptDumper(yaml.SafeDumper):
    """Multi-line texts as YAML blocks, so staff read them as the citizen sees them;
    texts hiding invisible characters (bidi controls) spelled out as escapes."""

    def write_double_quoted(self, text: str, split: bool = True) -> None:
        allow_unicode = self.allow_unicode
        self.allow_unicode = not INVISIBLE.search(text)
        try:
            super().write_double_quoted(text, split)
        finally:
            self.allow_unicode = allow_unicode


def _style(text: str) -> str | None:
    if INVISIBLE.search(text):
        return '"'
    return "|" if "\n" in text else None


def _text_block(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=_style(text))


TranscriptDumper.add_representer(str, _text_block)


def rendered(replies: list[Outgoing]) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = []
    for reply in replies:
        message: dict[str, Any] = {"text": reply.text}
        if reply.buttons:
            message["buttons"] = reply.button_labels
        shown.append(message)
    return shown


def payload_of(citizen: Citizen, step: dict[str, Any]) -> Payload:
    if "says" in step:
        return Text(str(step["says"]) * int(step.get("repeat", 1)))
    if "press" in step:
        return ButtonPress(citizen.button(step["press"]).id)
    if "forged_button" in step:
        return ButtonPress(step["forged_button"])
    sent = step["sends"]
    if sent == "sticker":
        return Media("sticker", "CAACAgQAAxkBAAIB")
    if sent == "location":
        return Location(30.4703, -8.8770)
    if sent == "photo":
        return Media("photo", "AgACAgQAAxkBAAIC", "image/jpeg", 154_000)
    raise ValueError(f"unknown thing to send: {sent!r}")


async def replay(citizen: Citizen, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Send every step; return the steps with what the bot actually answered."""
    played = []
    for step in steps:
        action = {key: step[key] for key in (*ACTIONS, "repeat") if key in step}
        if "command" in step:
            name, _, args = str(step["command"]).partition(" ")
            replies = await citizen.command(name, args)
        else:
            replies = await citizen.send_payload(payload_of(citizen, step))
        played.append({**action, "bot": rendered(replies)})
    return played


async def prepared_core(core: ConversationCore, script: dict[str, Any]) -> ConversationCore:
    """The core a transcript runs on (its tracking numbers seeded), with what staff opened
    before the dialogue."""
    if "tracking_seed" in script:  # tracking numbers are random: seeded, they repeat
        seeded = replace(core.settings, tracking_random=Random(script["tracking_seed"]))
        core = ConversationCore(core.db, seeded, core.clock)
    if "consultations" in script:  # opened by staff, at `now`, before the dialogue
        await open_for_transcript(core, script["consultations"], script["now"])
    if "workshops" in script:  # published by staff, at `now`, before the dialogue
        await open_workshops_for_transcript(core, script["workshops"], script["now"])
    return core


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda path: path.stem)
async def test_transcript(path: Path, core) -> None:
    script = yaml.safe_load(path.read_text(encoding="utf-8"))
    core = await prepared_core(core, script)
    citizen = Citizen(core, script["citizen"], hint=script.get("app_language"))
    played = await replay(citizen, script["dialogue"])
    if UPDATE:
        script["dialogue"] = played
        path.write_text(
            yaml.dump(
                script, Dumper=TranscriptDumper, allow_unicode=True, sort_keys=False, width=100
            ),
            encoding="utf-8",
        )
        return
    for number, (expected, actual) in enumerate(zip(script["dialogue"], played, strict=True)):
        assert actual["bot"] == expected.get("bot"), f"{path.name}, step {number + 1}"
