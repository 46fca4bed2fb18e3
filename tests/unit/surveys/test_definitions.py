"""Consultation files: the samples load, every mistake is named by where it is, texts fall
back in the configured order, and a stored document reads back identically."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from surveys.definitions import LANGUAGES, QUESTION_TYPES, Consultation, Texts
from surveys.documents import consultation_from_document, consultation_to_document
from surveys.problems import DefinitionError
from surveys.texts import text_in
from surveys.yaml_loader import load_yaml, read_yaml_document
from tests.consultations import (
    DERB_JDID,
    MEDINA,
    SAMPLES,
    TALMQALAT_POLL,
    small_document,
    written_in,
)

QUARTERS = ("Derb Jdid", "Sidi Belkas", "Darb Al Afou", "Talmqalat", "Assarag", "Medina", "Other")


def problems_of(document: dict, quarters: tuple[str, ...] | None = None) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        consultation_from_document(document, quarters)
    return caught.value.problems


@pytest.mark.parametrize("path", [MEDINA, DERB_JDID], ids=lambda p: p.stem)
def test_the_samples_load_in_every_language_with_skip_logic(path):
    consultation = load_yaml(path, QUARTERS)
    assert 6 <= len(consultation.questions) <= 9
    assert set(consultation.languages) == set(LANGUAGES)
    assert len({q.type for q in consultation.questions}) >= 5
    assert any(q.relevant is not None for q in consultation.questions)
    assert consultation.opens_on < consultation.closes_on


def every_text(consultation: Consultation) -> dict[str, Texts]:
    """Each text a citizen may read, by where it is."""
    texts = {
        "title": consultation.title,
        "intro": consultation.intro,
        "privacy": consultation.privacy,
        "thanks": consultation.thanks,
    }
    for question in consultation.questions:
        texts[f"{question.key} label"] = question.label
        if question.hint is not None:
            texts[f"{question.key} hint"] = question.hint
        for option in question.options:
            texts[f"{question.key} choice {option.id}"] = option.label
    return texts


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_sample_has_every_text_in_every_language(path):
    consultation = load_yaml(path, QUARTERS)
    assert consultation.languages == LANGUAGES
    missing = [
        f"{where}: {language}"
        for where, texts in every_text(consultation).items()
        for language in LANGUAGES
        if not texts.get(language, "").strip()
    ]
    assert not missing, missing


def test_the_derb_jdid_sample_is_anonymous_and_targets_its_quarter():
    consultation = load_yaml(DERB_JDID, QUARTERS)
    assert consultation.anonymous and consultation.one_response
    assert consultation.segment.quarters == ("Derb Jdid",)


def test_a_document_reads_back_identically():
    for path in (MEDINA, DERB_JDID):
        consultation = load_yaml(path)
        assert consultation_from_document(consultation_to_document(consultation)) == consultation


def test_defaults():
    consultation = consultation_from_document(small_document())
    assert consultation.one_response and not consultation.anonymous
    assert consultation.segment.everyone
    assert consultation.questions[0].required and not consultation.questions[1].required


def test_a_condition_on_a_later_question_is_refused():
    document = small_document()
    document["questions"][0]["relevant"] = "${score} > 2"
    assert problems_of(document) == [
        "question 'likes': relevant refers to 'score', which is not earlier"
    ]


def test_a_condition_on_an_unknown_question_is_refused():
    document = small_document()
    document["questions"][1]["relevant"] = "${liked} = 'yes'"
    assert problems_of(document) == ["question 'why': relevant refers to unknown question 'liked'"]


def test_a_condition_on_a_choice_that_does_not_exist_is_refused():
    document = small_document()
    document["questions"][1]["relevant"] = "${likes} = 'oui'"
    assert problems_of(document) == ["question 'why': relevant: 'likes' has no choice 'oui'"]


def test_a_malformed_condition_names_the_question():
    document = small_document()
    document["questions"][1]["relevant"] = "${likes} == 'yes'"
    [problem] = problems_of(document)
    assert problem.startswith("question 'why': relevant \"${likes} == 'yes'\": expected a value")


def test_duplicate_keys_unknown_types_and_missing_lists_are_all_reported_at_once():
    document = small_document()
    document["questions"][2]["key"] = "likes"
    document["questions"].append(
        {"key": "mood", "type": "emoji_scale", "label": {"fr": "Humeur ?"}}
    )
    document["questions"].append(
        {"key": "modes", "type": "single_choice", "choices": "transport", "label": {"fr": "?"}}
    )
    found = problems_of(document)
    assert "question 'likes': duplicate key 'likes'" in found
    assert any(p.startswith("question 'mood': unknown type 'emoji_scale'") for p in found)
    assert "question 'modes': no choice list 'transport'" in found


def test_every_text_needs_every_required_language():
    document = small_document(languages=["fr", "ar"])
    document["title"]["ar"] = "استشارة صغيرة"
    found = problems_of(document)
    assert "intro: missing translation in ar" in found
    assert "question 'likes' label: missing translation in ar" in found
    assert "title: missing translation in ar" not in found


def test_choices_need_translations_and_distinct_ids():
    document = small_document(languages=["fr", "ary"])
    for field in ("title", "intro", "privacy", "thanks"):
        document[field]["ary"] = "نص"
    for question in document["questions"]:
        question["label"]["ary"] = "سؤال"
    document["questions"].append(
        {
            "key": "mode",
            "type": "single_choice",
            "label": {"fr": "Comment ?", "ary": "كيفاش؟"},
            "choices": [
                {"id": "walk", "label": {"fr": "À pied", "ary": "على رجلي"}},
                {"id": "walk", "label": {"fr": "En marchant"}},
            ],
        }
    )
    found = problems_of(document)
    assert "question 'mode': duplicate choice id 'walk'" in found
    assert "question 'mode' choice 'walk': missing translation in ary" in found


def test_bad_fields_are_named():
    document = small_document(
        key="Bad Key",
        responses="many",
        anonymous="yes",
        opens="2027-02-01",
        closes="2027-01-01",
        target={"quarters": ["Derb Jedid"], "genders": ["woman"]},
        colour="blue",
    )
    found = problems_of(document, QUARTERS)
    assert any(p.startswith("key:") for p in found)
    assert "responses: expected 'one' or 'several'" in found
    assert "anonymous: expected true or false" in found
    assert "closes: is before opens" in found
    assert any(p.startswith("target.quarters: unknown ['Derb Jedid']") for p in found)
    assert any(p.startswith("target.genders: unknown ['woman']") for p in found)
    assert "colour: unknown field" in found


def test_min_and_max_belong_to_numbers():
    document = small_document()
    document["questions"][2]["min"] = 1
    document["questions"].append(
        {"key": "n", "type": "number", "min": 9, "max": 3, "label": {"fr": "Combien ?"}}
    )
    found = problems_of(document)
    assert "question 'score': only number questions have min and max" in found
    assert "question 'n': min is greater than max" in found


def test_every_question_type_loads():
    questions = []
    for kind in QUESTION_TYPES:
        question = {"key": f"q_{kind}", "type": kind, "label": {"fr": kind}}
        if kind in ("single_choice", "multiple_choice"):
            question["choices"] = [{"id": "a", "label": {"fr": "A"}}]
        questions.append(question)
    consultation = consultation_from_document(small_document(questions=questions))
    assert [q.type for q in consultation.questions] == list(QUESTION_TYPES)
    assert not consultation.question("q_note").required, "a note asks nothing"


def test_yes_and_no_stay_text_in_consultation_files():
    document = read_yaml_document("choices:\n  - id: yes\n  - id: no\nflag: true\n")
    assert document == {"choices": [{"id": "yes"}, {"id": "no"}], "flag": True}


def test_invalid_yaml_is_reported_with_the_file_name():
    with pytest.raises(DefinitionError) as caught:
        read_yaml_document("title: {fr: Oui ?, ar", "broken.yaml")
    assert caught.value.problems[0].startswith("broken.yaml: not valid YAML")


def _with_texts(texts: dict[str, str], fallbacks: dict | None = None) -> Consultation:
    document = small_document(title=texts, languages=["fr"])
    if fallbacks:
        document["fallbacks"] = fallbacks
    return consultation_from_document(document)


def test_texts_fall_back_in_the_configured_order():
    texts = {"fr": "Bonjour", "ary": "سلام", "ar": "مرحبا"}
    consultation = _with_texts(texts)
    assert text_in(consultation, consultation.title, "ary-Latn") == ("ary", "سلام")
    assert text_in(consultation, consultation.title, "shi") == ("ary", "سلام")
    assert text_in(consultation, consultation.title, "shi-Tfng") == ("ary", "سلام")
    changed = _with_texts(texts, {"ary-Latn": ["fr"], "shi": ["fr", "ary"]})
    assert text_in(changed, changed.title, "ary-Latn") == ("fr", "Bonjour")
    assert text_in(changed, changed.title, "shi") == ("fr", "Bonjour")
    with_shi = _with_texts({**texts, "shi": "Azul"})
    assert text_in(with_shi, with_shi.title, "shi-Tfng") == ("shi", "Azul")


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        (
            ("fr", "ar"),
            {"fr": "fr", "ar": "ar", "ary": "ar", "ary-Latn": "ar", "shi": "ar",
             "shi-Tfng": "ar", "shi-Arab": "ar"},
        ),
        (
            ("fr", "ary"),
            {"fr": "fr", "ar": "ary", "ary": "ary", "ary-Latn": "ary", "shi": "ary",
             "shi-Tfng": "ary", "shi-Arab": "ary"},
        ),
        (
            ("fr", "ar", "ary", "shi"),
            {"fr": "fr", "ar": "ar", "ary": "ary", "ary-Latn": "ary", "shi": "shi",
             "shi-Tfng": "shi", "shi-Arab": "shi"},
        ),
        (
            ("fr",),
            {"fr": "fr", "ar": "fr", "ary": "fr", "ary-Latn": "fr", "shi": "fr",
             "shi-Tfng": "fr", "shi-Arab": "fr"},
        ),
        (("ar", "shi"), {"fr": "ar", "ary": "ar", "ary-Latn": "ar", "shi-Arab": "shi"}),
        (("fr", "shi"), {"ar": "fr", "ary": "fr", "ary-Latn": "fr", "shi-Tfng": "shi"}),
    ],
    ids=lambda value: "+".join(value) if isinstance(value, tuple) else None,
)  # fmt: skip
def test_the_default_chain_goes_to_darija_then_arabic_then_french(languages, expected):
    """Tachelhit (in any script) and Latin Darija readers: Darija, Arabic, French; Tifinagh
    and Arabic-script Tachelhit first read the Tachelhit text (transliterated when shown)."""
    consultation = consultation_from_document(written_in(*languages))
    read = {locale: text_in(consultation, consultation.intro, locale)[0] for locale in expected}
    assert read == expected


def test_opening_dates_are_inclusive():
    consultation = consultation_from_document(
        small_document(opens="2026-12-01", closes="2026-12-31")
    )
    assert not consultation.accepts_on(date(2026, 11, 30))
    assert consultation.accepts_on(date(2026, 12, 1)) and consultation.accepts_on(
        date(2026, 12, 31)
    )
    assert not consultation.accepts_on(date(2027, 1, 1))


def test_segments_exclude_only_known_mismatches():
    segment = consultation_from_document(
        small_document(target={"quarters": ["Medina"], "languages": ["ary-Latn"]}), QUARTERS
    ).segment
    profile = {"gender": None, "age_bracket": None}
    assert segment.includes(quarter="Medina", language="ary", **profile)
    assert segment.includes(quarter=None, language=None, **profile), "unknown excludes no one"
    assert not segment.includes(quarter="Derb Jdid", language="ary", **profile)
    assert not segment.includes(quarter="Medina", language="fr", **profile)


def test_loading_does_not_change_the_document():
    document = small_document()
    before = copy.deepcopy(document)
    consultation_from_document(document)
    assert document == before


def poll_document(question: dict, **changes) -> dict:
    return small_document(quick_poll=True, questions=[question], **changes)


def test_the_quick_poll_sample_is_one_question_a_native_poll_can_show():
    consultation = load_yaml(TALMQALAT_POLL, QUARTERS)
    assert consultation.quick_poll and consultation.one_response
    assert consultation.poll_question.type == "single_choice"
    assert len(consultation.poll_question.options) == 4
    again = consultation_from_document(consultation_to_document(consultation), QUARTERS)
    assert again == consultation


def test_a_quick_poll_a_native_poll_cannot_show_is_refused():
    yes_no = {"key": "agree", "type": "yes_no", "label": {"fr": "D'accord ?"}}
    many = [{"id": f"o{n}", "label": {"fr": f"Option {n}"}} for n in range(13)]
    cases = {
        "questions: a quick poll has exactly one question": small_document(quick_poll=True),
        "question 'idea': a quick poll asks multiple_choice, rating, single_choice, yes_no, "
        "not text": poll_document({"key": "idea", "type": "text", "label": {"fr": "Idée ?"}}),
        "question 'pick': a quick poll offers at most 12 choices": poll_document(
            {"key": "pick", "type": "single_choice", "label": {"fr": "?"}, "choices": many}
        ),
        "question 'pick', choice long: fr text longer than 100 characters (a poll's limit)": (
            poll_document(
                {
                    "key": "pick",
                    "type": "single_choice",
                    "label": {"fr": "?"},
                    "choices": [{"id": "long", "label": {"fr": "x" * 101}}],
                }
            )
        ),
        "question 'agree': fr text longer than 300 characters (a poll's limit)": poll_document(
            yes_no | {"label": {"fr": "y" * 301}}
        ),
        "responses: a quick poll takes one response per citizen (a vote)": poll_document(
            yes_no, responses="several"
        ),
    }
    for expected, document in cases.items():
        assert expected in problems_of(document), expected
