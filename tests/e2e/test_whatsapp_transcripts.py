"""The golden transcripts (tests/transcripts/*.yaml) replayed through the WhatsApp adapter,
end to end: `run_whatsapp` against the fake Cloud API, on SQLite and PostgreSQL, with the
same clock, consultations, workshops and tracking-number seed as tests/test_transcripts.py.

The citizen must receive the same texts and the same choices as the golden `bot:` messages,
except where WhatsApp's limits force a difference — and only in these ways:

- 1 to 3 choices are reply buttons, titled in 20 characters at most; 4 to 10 are the rows of
  a list, titled in 24 (a shortened row also has the label, in 72 at most, as description);
  more than 10 are lines "1. label" under the text, answered by typing the number;
- a label longer than its title is its first characters then "…" (spaces before it dropped),
  and the full labels so shortened are added under the text, one "• label" a line;
- a text above buttons longer than 1024 characters, or any text longer than 4096, comes as
  several messages, cut where there are spaces or line breaks;
- a message has a text: an empty text above choices is "…", and one without any is not sent.

One more difference is WhatsApp's by nature, not by its limits: the citizen's account (My
data's messaging app and id), which the golden transcripts show on the core's test channel.

Steps that cannot happen on WhatsApp are skipped, each for a reason given in `UNREPLAYABLE`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from handlers.conversation_core import HINT_LOCALES, ConversationCore
from handlers.languages import LOCALES, translate
from tests.e2e.fake_cloud_api import FakeCloudApi, SentMessage, WaitTimeout
from tests.e2e.whatsapp_bot import running_whatsapp, settled
from tests.test_transcripts import prepared_core

TRANSCRIPTS = sorted((Path(__file__).parents[1] / "transcripts").glob("*.yaml"))

# WhatsApp's limits (the Cloud API's, not choices of the adapter).
MAX_REPLY_BUTTONS, BUTTON_TITLE = 3, 20
MAX_LIST_ROWS, ROW_TITLE, ROW_DESCRIPTION = 10, 24, 72
TEXT_LIMIT, BUTTON_BODY_LIMIT = 4096, 1024
ELLIPSIS = "…"

UNREPLAYABLE = (
    # On WhatsApp a button pressed is one of a message Meta delivered to the citizen: Meta
    # puts that button's id in the webhook, and a webhook not signed by Meta is refused. No
    # citizen can make up a button id, so the core never gets a forged one from WhatsApp.
    "forged_button",
)

# What a citizen sends when a transcript says `sends:` (as tests/test_transcripts.py has it
# on the test channel: a sticker, a place in Taroudant, a 154 kB JPEG photo).
PLACE = (30.4703, -8.8770)
PHOTO = b"\xff\xd8\xff\xe0" + b"\x00" * (154_000 - 6) + b"\xff\xd9"


@dataclass(frozen=True)
class Shown:
    """One message of the core as the citizen sees it on WhatsApp: its `kind` ("text",
    "buttons", "list" or a media type), its text (its parts joined), the titles of its
    buttons or rows and the rows' descriptions."""

    kind: str
    text: str
    titles: tuple[str, ...] = ()
    descriptions: tuple[str | None, ...] = ()


def fitted(label: str, limit: int) -> str:
    """`label` as a title of at most `limit` characters."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + ELLIPSIS


def numbered_lines(labels: Sequence[str]) -> str:
    return "\n".join(f"{number}. {label}" for number, label in enumerate(labels, start=1))


def on_whatsapp(golden: dict[str, Any]) -> Shown | None:
    """How WhatsApp's limits show a golden message (None: not at all)."""
    text, labels = str(golden["text"]), list(golden.get("buttons") or ())
    if not labels:
        return Shown("text", text) if text else None
    if len(labels) > MAX_LIST_ROWS:
        return Shown("text", f"{text}\n\n{numbered_lines(labels)}")
    few = len(labels) <= MAX_REPLY_BUTTONS
    titles = tuple(fitted(label, BUTTON_TITLE if few else ROW_TITLE) for label in labels)
    cut = [label for label, title in zip(labels, titles, strict=True) if title != label]
    body = text or ELLIPSIS
    if cut:
        body += "\n\n" + "\n".join(f"• {label}" for label in cut)
    if few:
        return Shown("buttons", body, titles)
    descriptions = tuple(
        None if title == label else fitted(label, ROW_DESCRIPTION)
        for label, title in zip(labels, titles, strict=True)
    )
    return Shown("list", body, titles, descriptions)


def my_data_line(locale: str, field: str, value: str) -> str:
    label = translate(locale, f"my_data.field.{field}")
    return translate(locale, "layout.field", label=label, value=value)


def on_this_account(golden: dict[str, Any], citizen: str, wa_id: str) -> dict[str, Any]:
    """A golden message with the account lines of My data (the messaging app, the citizen's
    id in it) as WhatsApp's rather than the test channel's (`test`, the transcript's id)."""
    text = str(golden["text"])
    accounts = (("channel", "test", "WhatsApp"), ("user_id", citizen, wa_id))  # channel keys
    for locale in LOCALES:
        for field, there, here in accounts:
            old, new = my_data_line(locale, field, there), my_data_line(locale, field, here)
            text = text.replace(old, new)
    return {**golden, "text": text}


def shown_of(sent: SentMessage) -> Shown:
    """One Cloud API message the citizen received."""
    if sent.buttons:
        return Shown("buttons", sent.text, tuple(sent.button_titles))
    if sent.rows:
        titles = tuple(title for _, title, _ in sent.rows)
        return Shown("list", sent.text, titles, tuple(d for _, _, d in sent.rows))
    return Shown(sent.type, sent.text)


def body_limit(shown: Shown) -> int:
    return BUTTON_BODY_LIMIT if shown.kind == "buttons" else TEXT_LIMIT


def fewest_messages(expected: Sequence[Shown]) -> int:
    """How many Cloud API messages show `expected` at least (a text over its limit: two)."""
    return sum(2 if len(shown.text) > body_limit(shown) else 1 for shown in expected)


def cut_from(parts: Sequence[str], text: str, limit: int) -> bool:
    """Whether `parts` are `text` as WhatsApp's `limit` forces it to come: whole when it
    fits, else parts within the limit that make the text once the spaces and line breaks
    at each cut are put back."""
    if len(text) <= limit:
        return list(parts) == [text]
    if any(not part or len(part) > limit for part in parts):
        return False
    return re.fullmatch("[ \n]*".join(map(re.escape, parts)), text) is not None


def received(sent: Sequence[SentMessage], expected: Sequence[Shown]) -> list[Shown]:
    """What the citizen received, message by message of the core: a text cut in parts (the
    parts before the last are plain texts) counts as one message with the whole text."""
    shown, rest = [], [shown_of(message) for message in sent]
    for wanted in expected:
        limit = body_limit(wanted)
        for count in range(1, len(rest) + 1):
            *before, last = rest[:count]
            if any(part.kind != "text" for part in before) or last.kind != wanted.kind:
                continue
            if cut_from([part.text for part in (*before, last)], wanted.text, limit):
                shown.append(replace(last, text=wanted.text))
                rest = rest[count:]
                break
        else:  # not there: show what came instead
            shown.extend(rest[:1])
            rest = rest[1:]
    return shown + rest


class WhatsAppCitizen:
    """The transcript's citizen on WhatsApp: acts, and keeps what was offered last."""

    def __init__(self, meta: FakeCloudApi, wa_id: str) -> None:
        self.meta = meta
        self.wa_id = wa_id
        self.offered: list[str] = []  # the golden labels of the latest choices

    async def acts(self, step: dict[str, Any], expected: Sequence[Shown]) -> list[SentMessage]:
        """Do what the step says; what the bot sent in answer (once it said all)."""
        before = len(self.meta.messages_to(self.wa_id))
        self._act(step)
        try:  # what `expected` takes at least, then anything more the bot sends
            count = before + fewest_messages(expected)
            await self.meta.wait_for_messages(self.wa_id, count, timeout=10)
        except WaitTimeout:
            pass  # fewer: the comparison shows which are missing
        await settled(self.meta, self.wa_id, quiet=0.15)
        return self.meta.messages_to(self.wa_id)[before:]

    def _act(self, step: dict[str, Any]) -> None:
        meta, wa_id = self.meta, self.wa_id
        if "says" in step:
            meta.user_sends_text(wa_id, str(step["says"]) * int(step.get("repeat", 1)))
        elif "command" in step:
            meta.user_sends_text(wa_id, f"/{step['command']}")
        elif "press" in step:
            self._press(str(step["press"]))
        elif step["sends"] == "sticker":
            meta.user_sends_sticker(wa_id)
        elif step["sends"] == "location":
            meta.user_sends_location(wa_id, *PLACE)
        elif step["sends"] == "photo":
            meta.user_sends_image(wa_id, data=PHOTO, mime_type="image/jpeg")
        else:
            raise ValueError(f"unknown thing to send: {step['sends']!r}")

    def _press(self, label_start: str) -> None:
        """Press the choice whose golden label starts with `label_start` (as `Citizen.button`
        of tests/dialogue.py does), the way WhatsApp shows it."""
        label = next((label for label in self.offered if label.startswith(label_start)), None)
        assert label is not None, f"no choice starting with {label_start!r} in {self.offered}"
        if len(self.offered) > MAX_LIST_ROWS:  # a numbered list: type its number
            self.meta.user_sends_text(self.wa_id, str(self.offered.index(label) + 1))
            return
        shown = reversed(self.meta.messages_to(self.wa_id))
        latest = next((message for message in shown if message.buttons or message.rows), None)
        assert latest is not None, f"no buttons nor list to press {label!r} on"
        if len(self.offered) <= MAX_REPLY_BUTTONS:
            title = fitted(label, BUTTON_TITLE)
            self.meta.user_presses_button(self.wa_id, title, message_id=latest.wamid)
        else:
            title = fitted(label, ROW_TITLE)
            self.meta.user_picks_from_list(self.wa_id, title, message_id=latest.wamid)

    def saw(self, golden: Sequence[dict[str, Any]]) -> None:
        """Keep the latest choices of the golden replies (what a press refers to)."""
        for message in golden:
            if message.get("buttons"):
                self.offered = list(message["buttons"])


@pytest.fixture
async def meta() -> AsyncIterator[FakeCloudApi]:
    async with FakeCloudApi() as fake:
        yield fake


def wa_id_of(path: Path) -> str:
    """A WhatsApp number for the transcript's citizen (a wa_id is digits only)."""
    return f"2126619{TRANSCRIPTS.index(path):05d}"


def step_of(step: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in step.items() if key != "bot"}


def refused(meta: FakeCloudApi) -> list[tuple[int | None, dict[str, Any]]]:
    """The sends WhatsApp refused (the adapter logs them, and the citizen sees nothing)."""
    return [(call.error_code, call.payload) for call in meta.send_calls if not call.ok]


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda path: path.stem)
async def test_a_transcript_on_whatsapp_differs_only_where_whatsapp_forces_it(
    path: Path, meta: FakeCloudApi, core: ConversationCore
) -> None:
    script = yaml.safe_load(path.read_text(encoding="utf-8"))
    # WhatsApp tells no app language: a newcomer whose first words say no language gets the
    # default one, which must be what the golden app language gave.
    hint = script.get("app_language")
    if hint is not None:
        default = core.settings.default_locale
        assert HINT_LOCALES.get(hint, default) == default, f"no app language {hint!r} on WhatsApp"
    core = await prepared_core(core, script)
    citizen = WhatsAppCitizen(meta, wa_id_of(path))
    async with running_whatsapp(meta, core):
        for number, step in enumerate(script["dialogue"], start=1):
            if any(action in step for action in UNREPLAYABLE):
                continue  # see UNREPLAYABLE: not done, so not answered either
            golden = [
                on_this_account(message, script["citizen"], citizen.wa_id)
                for message in step.get("bot") or ()
            ]
            expected = [shown for shown in map(on_whatsapp, golden) if shown is not None]
            sent = await citizen.acts(step, expected)
            assert received(sent, expected) == expected, (
                f"{path.name}, step {number} ({step_of(step)}); refused: {refused(meta)}"
            )
            citizen.saw(golden)
    assert not refused(meta), path.name
