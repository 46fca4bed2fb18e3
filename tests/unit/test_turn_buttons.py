from datetime import UTC, datetime

from handlers.turns import CoreSettings, Turn
from handlers.types import Incoming, Text
from storage.models import Conversation


def make_turn(version: int = 3) -> Turn:
    conversation = Conversation(
        channel="test",
        channel_user_id="u",
        chat_id="u",
        locale="fr",
        flow="menu",
        step="main",
        data={},
        version=version,
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    incoming = Incoming("test", "u", "u", "1", Text("x"))
    return Turn(incoming, conversation, None, CoreSettings(), datetime(2026, 1, 1, tzinfo=UTC))  # type: ignore[arg-type]


def test_buttons_issued_now_are_valid_for_the_next_input_only():
    turn = make_turn(version=3)
    button = turn.button("m:about", "About")
    turn.finish()
    assert turn.conversation.version == 4
    assert turn.read_button(button.id) == "m:about"


def test_button_of_an_earlier_message_is_stale():
    turn = make_turn(version=7)
    assert turn.read_button("6.m:about") is None


def test_forged_button_ids_are_refused():
    turn = make_turn(version=3)
    for forged in ["", "3", "3.", ".m:about", "zz.m:about", "3" * 80, "٣.m:about"]:
        assert turn.read_button(forged) is None


def test_button_ids_fit_telegram_limit():
    turn = make_turn(version=10**9)
    button = turn.button("lang:shi-Tfng", "ⵜⴰⵛⵍⵃⵉⵜ")
    assert len(button.id.encode()) <= 64


def test_notes_are_shown_on_top_of_the_next_message():
    turn = make_turn()
    turn.note("oops")
    turn.say("question")
    assert [r.text for r in turn.replies] == ["oops\n\nquestion"]


def test_a_note_without_a_following_message_is_still_sent():
    turn = make_turn()
    turn.note("done")
    turn.finish()
    assert [r.text for r in turn.replies] == ["done"]


def test_no_buttons_no_new_version():
    turn = make_turn(version=5)
    turn.say("hello")
    turn.finish()
    assert turn.conversation.version == 5
