"""One reading of whole numbers for typed answers, button ids and stored ids."""

from __future__ import annotations

import pytest

from surveys.numerals import MAX_ID, read_position, read_whole


@pytest.mark.parametrize(
    ("typed", "number"),
    [("4", 4), ("٤", 4), ("۴", 4), (" 12 ", 12), ("١٢", 12), ("0", 0), (str(MAX_ID), MAX_ID)],
)
def test_digits_as_citizens_type_them(typed, number):
    assert read_whole(typed) == number


@pytest.mark.parametrize(
    "typed", ["²", "4²", "½", "-1", "+3", "1 2", "1.5", "", "x", "9" * 20, str(MAX_ID + 1), "১"]
)
def test_anything_else_is_not_a_number(typed):
    assert read_whole(typed) is None


def test_a_position_is_within_its_list():
    assert read_position("2", 3) == 2
    assert read_position("3", 3) is None
    assert read_position("0", 0) is None
