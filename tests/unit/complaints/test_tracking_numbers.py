"""Tracking numbers: the format, the alphabet without look-alikes, randomness, the check
character, and reading what citizens type."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from random import Random

import pytest

from handlers.complaints.tracking_numbers import (
    ALPHABET,
    check_character,
    is_well_formed,
    new_tracking_number,
    read_tracking_number,
)

FILED = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)
FORMAT = re.compile(r"^TRD-26-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5}$")


def test_the_alphabet_has_no_look_alikes():
    assert not set("01OILU") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 30


def test_numbers_have_the_commune_prefix_the_year_and_five_characters():
    number = new_tracking_number("TRD", FILED, secrets.SystemRandom())
    assert FORMAT.match(number), number
    assert is_well_formed(number)
    assert new_tracking_number("AGD", datetime(2031, 1, 1, tzinfo=UTC), Random(1)).startswith(
        "AGD-31-"
    )


def test_numbers_are_random_not_sequential():
    randomness = secrets.SystemRandom()
    numbers = [new_tracking_number("TRD", FILED, randomness) for _ in range(2000)]
    assert len(set(numbers)) >= 1990
    assert numbers != sorted(numbers)


def test_a_seeded_generator_gives_the_same_numbers():
    first = [new_tracking_number("TRD", FILED, Random(42)) for _ in range(3)]
    assert first == [new_tracking_number("TRD", FILED, Random(42)) for _ in range(3)]


def test_every_single_mistyped_character_is_caught():
    code = new_tracking_number("TRD", FILED, Random(7)).rsplit("-", 1)[1]
    for position in range(len(code)):
        for replacement in ALPHABET:
            if replacement == code[position]:
                continue
            typo = code[:position] + replacement + code[position + 1 :]
            assert not is_well_formed(f"TRD-26-{typo}"), typo


def test_most_swapped_neighbours_are_caught():
    caught = total = 0
    randomness = Random(3)
    for _ in range(500):
        code = new_tracking_number("TRD", FILED, randomness).rsplit("-", 1)[1]
        for i in range(len(code) - 1):
            if code[i] != code[i + 1]:
                total += 1
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
                caught += not is_well_formed(f"TRD-26-{swapped}")
    assert caught / total > 0.95


def test_check_character_of_a_known_code():
    assert check_character("7K3Q") in ALPHABET
    assert is_well_formed("TRD-26-7K3Q" + check_character("7K3Q"))


@pytest.mark.parametrize(
    "typed",
    [
        "TRD-26-7K3QX",
        "trd-26-7k3qx",
        "TRD 26 7K3QX",
        "trd267k3qx",
        "  TRD-26-7K3QX.  ",
        "n° TRD-26-7K3QX",
        "TRD-2O-7K3QX".replace("2O", "26"),
        "trd_26_7k3qx",
        "«TRD-26-7K3QX»",
        "TRD-٢٦-7K3QX",
    ],
)
def test_what_citizens_type_is_read_generously(typed):
    assert read_tracking_number(typed, "TRD") == "TRD-26-7K3QX"


def test_look_alikes_typed_by_mistake_are_read_as_meant():
    assert read_tracking_number("TRD-O7-7K3QX", "TRD") == "TRD-07-7K3QX"
    assert read_tracking_number("TRD-I7-7K3QX", "TRD") == "TRD-17-7K3QX"
    assert read_tracking_number("TRD-26-7K3QU", "TRD") == "TRD-26-7K3QV"


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour",
        "TRD",
        "TRD-26",
        "le lampadaire TRD-26-7K3QX est éteint depuis une semaine",
        "AGD-26-7K3QX",
        "TRD-26-7K3QXY",
        "2026-01-05",
    ],
)
def test_other_messages_are_not_tracking_numbers(text):
    assert read_tracking_number(text, "TRD") is None


def test_malformed_numbers_are_not_well_formed():
    assert not is_well_formed("TRD-26-7K3Q")
    assert not is_well_formed("TRD-26-0K3QX")


def test_production_numbers_come_from_the_system_random_source():
    from handlers.turns import CoreSettings

    assert isinstance(CoreSettings().tracking_random, secrets.SystemRandom)
