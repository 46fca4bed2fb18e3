"""Back-office accounts: the logins suggested from names, the rules a password meets,
and the language of a staff member's pages."""

from __future__ import annotations

import pytest

from handlers.staff import login_from_name, web_locale_of
from handlers.staff.accounts import password_problem
from storage.models import StaffMember


@pytest.mark.parametrize(
    ("name", "login"),
    [("Fatima Zahra Aït Ali", "fatima.zahra.ait.ali"), ("Youssef", "youssef"), ("أمينة", "")],
)
def test_a_login_is_suggested_from_the_name(name, login):
    assert login_from_name(name) == login


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "staff.password.too_short"),
        ("x" * 257, "staff.password.too_long"),
        ("aaaaaaaaaaaaaaaa", "staff.password.too_simple"),
        ("amina-Secret-2026", "staff.password.too_simple"),  # holds the login
        ("Tamazirt-2026-Souss", None),
    ],
)
def test_password_rules(password, problem):
    assert password_problem(password, "amina") == problem


def test_pages_are_in_french_or_arabic_after_the_choice_or_the_communes_language():
    member = StaffMember(web_locale=None)
    assert web_locale_of(member, "fr") == "fr"
    assert web_locale_of(member, "ary") == "ar"
    assert web_locale_of(member, "ary-Latn") == "fr"
    member.web_locale = "ar"
    assert web_locale_of(member, "fr") == "ar"
    member.web_locale = "shi"  # not offered in the back-office
    assert web_locale_of(member, "fr") == "fr"
