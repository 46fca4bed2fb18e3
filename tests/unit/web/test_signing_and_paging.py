"""Signed cookies and form tokens, and the arithmetic of list pages."""

from __future__ import annotations

from pydantic import SecretStr

from bot.settings import Settings
from bot.web.paging import paging
from bot.web.signing import Signer


def test_a_signed_value_reads_back_and_a_changed_one_does_not():
    signer = Signer(b"k" * 32)
    signed = signer.sign("token-123")
    assert signer.unsign(signed) == "token-123"
    assert signer.unsign(signed.replace("token-123", "token-124")) is None
    assert signer.unsign("token-123") is None
    assert Signer(b"other key").unsign(signed) is None


def test_form_tokens_are_tied_to_the_cookie_they_were_made_for():
    signer = Signer(b"k" * 32)
    token = signer.csrf_token("session-a")
    assert signer.csrf_matches("session-a", token)
    assert not signer.csrf_matches("session-b", token)
    assert signer.csrf_token("session-a") != signer.sign("session-a")


def test_without_web_secret_key_the_key_is_derived_from_the_pseudonym_key():
    base = Settings(_env_file=None, pseudonym_key=SecretStr("p" * 64))
    derived = Signer.from_settings(base)
    assert derived.unsign(Signer(b"p" * 64).sign("x")) is None, "never the pseudonym key itself"
    own = Signer.from_settings(base.model_copy(update={"web_secret_key": SecretStr("w" * 64)}))
    assert own.unsign(derived.sign("x")) is None, "a new key ends every session"


def test_pages_of_fifty():
    pages = paging({"page": "3", "status": "received"}, total=120)
    assert (pages.pages, pages.offset, pages.first_row, pages.last_row) == (3, 100, 101, 120)
    assert pages.previous == "?status=received&page=2" and pages.next is None
    assert paging({}, total=0).first_row == 0 and paging({}, total=0).pages == 1
    assert paging({"page": "9"}, total=120).offset == 100, "past the end: the last page"
