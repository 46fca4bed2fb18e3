"""The vocabulary files: every request in every way of writing, and a file a translator
got wrong is refused with its name and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.intents import INTENTS, VocabularyError, load_vocabulary
from handlers.intents.vocabulary import VOCABULARY_DIR, phrases_in

FILES = sorted(VOCABULARY_DIR.glob("*.yaml"))


def test_a_file_per_way_of_writing():
    assert {path.stem for path in FILES} == {"fr", "ar", "ary", "ary_Latn", "shi", "shi_Arab"}


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_request_can_be_asked_in_every_file(path):
    assert {phrase.intent for phrase in phrases_in(path) if not phrase.hint} == set(INTENTS)


def test_the_readme_lists_every_request():
    readme = (VOCABULARY_DIR / "README.md").read_text(encoding="utf-8")
    assert all(f"`{intent}`" in readme for intent in INTENTS)


def test_longest_phrases_first():
    sizes = [len(phrase.patterns) for phrase in load_vocabulary()]
    assert sizes == sorted(sizes, reverse=True)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("complain_new:\n  phrases: [chikaya]\n", "unknown intent 'complain_new'"),
        ("complaint_new:\n  words: [chikaya]\n", "expected phrases and/or hints"),
        ("complaint_new:\n  phrases: ['!!']\n", "empty phrase"),
        ("- chikaya\n", "expected intents at the top level"),
    ],
)
def test_a_wrong_file_is_refused_with_its_name(tmp_path: Path, content, problem):
    path = tmp_path / "xx.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(VocabularyError, match=f"xx.yaml: .*{problem}"):
        phrases_in(path)
