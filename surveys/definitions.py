"""What a consultation is, as data: its texts in every language, who it is for, when it is
open and its questions. Values only; `surveys.documents` builds them from YAML or XLSForm
and checks them, `surveys.engine` walks a citizen through them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from surveys.conditions import Condition

# Languages a consultation's texts are written in (`shi-Tfng` and `shi-Arab` are derived
# from `shi`).
LANGUAGES = ("fr", "ar", "ary", "ary-Latn", "shi")
# Where a text missing in the citizen's language is looked for next; a consultation file
# may override any line. `shi-Tfng` and `shi-Arab` citizens read the `shi` text
# transliterated (Tifinagh, Arabic script). Darija comes before Standard Arabic (nearly
# every Tachelhit speaker of the Souss also speaks it), French last.
DEFAULT_FALLBACKS: Mapping[str, tuple[str, ...]] = {
    "fr": ("ar",),
    "ar": ("ary", "fr"),
    "ary": ("ar", "fr"),
    "ary-Latn": ("ary", "ar", "fr"),
    "shi": ("ary", "ar", "fr"),
    "shi-Tfng": ("shi", "ary", "ar", "fr"),
    "shi-Arab": ("shi", "ary", "ar", "fr"),
}
QUESTION_TYPES = (
    "single_choice",
    "multiple_choice",
    "yes_no",
    "rating",
    "number",
    "text",
    "long_text",
    "date",
    "quarter",
    "location",
    "photo",
    "note",
)
CHOICE_TYPES = frozenset({"single_choice", "multiple_choice"})
# Types answered by pressing a button (their answer is an id, or ids for multiple choice).
BUTTON_TYPES = frozenset({*CHOICE_TYPES, "yes_no", "rating", "quarter"})
YES, NO = "yes", "no"
RATINGS = (1, 2, 3, 4, 5)
GENDERS = ("female", "male")
AGE_BRACKETS = ("under-18", "18-29", "30-44", "45-59", "60+")
# The citizen's optional profile, asked in chat before a consultation that targets or
# reports by one of them (and before a first workshop sign-up).
PROFILE_FIELDS = ("quarter", "gender", "age_bracket")
ONE, SEVERAL = "one", "several"
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 3000
# A quick poll is one question shown as a native poll, within the platform's limits.
POLL_TYPES = frozenset({*CHOICE_TYPES, "yes_no", "rating"})
POLL_QUESTION_MAX = 300
POLL_OPTIONS_MAX = 12
POLL_OPTION_MAX = 100

Texts = Mapping[str, str]  # language -> text


@dataclass(frozen=True, slots=True)
class Option:
    """One answer of a choice question; `id` is what is stored, never shown."""

    id: str
    label: Texts


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    type: str
    label: Texts
    hint: Texts | None = None
    required: bool = True
    options: tuple[Option, ...] = ()
    choice_list: str | None = None  # the name of a shared list the options came from
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = True
    relevant: Condition | None = None
    relevant_source: str = ""  # the condition as written, kept for display and saving

    @property
    def answered_by_buttons(self) -> bool:
        return self.type in BUTTON_TYPES

    @property
    def asks(self) -> bool:
        """False for notes, which show a text and record nothing."""
        return self.type != "note"


@dataclass(frozen=True, slots=True)
class Segment:
    """Who a consultation is for; an empty list means everyone.

    A citizen whose targeted quarter, gender or age is unknown (never said, or preferred
    not to) is outside the segment for broadcasts — an announcement goes only to those
    known to be in it — but may still open the consultation in chat: they are asked the
    missing field first, and if they skip it their answers count under "unknown"."""

    quarters: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    genders: tuple[str, ...] = ()
    age_brackets: tuple[str, ...] = ()

    def includes(
        self,
        *,
        quarter: str | None,
        language: str | None,
        gender: str | None,
        age_bracket: str | None,
    ) -> bool:
        spoken = tuple({code.split("-")[0] for code in self.languages})  # ary-Latn: ary
        pairs = (
            (self.quarters, quarter),
            (spoken, language),
            (self.genders, gender),
            (self.age_brackets, age_bracket),
        )
        return all(not wanted or value is None or value in wanted for wanted, value in pairs)

    @property
    def everyone(self) -> bool:
        return not (self.quarters or self.languages or self.genders or self.age_brackets)

    @property
    def profile_fields(self) -> tuple[str, ...]:
        """The profile fields this segment selects on."""
        wanted = {
            "quarter": self.quarters,
            "gender": self.genders,
            "age_bracket": self.age_brackets,
        }
        return tuple(name for name in PROFILE_FIELDS if wanted[name])


@dataclass(frozen=True, slots=True)
class Consultation:
    key: str
    title: Texts
    intro: Texts
    privacy: Texts
    thanks: Texts
    questions: tuple[Question, ...]
    languages: tuple[str, ...] = ("fr",)
    fallbacks: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: DEFAULT_FALLBACKS)
    opens_on: date | None = None
    closes_on: date | None = None
    segment: Segment = field(default_factory=Segment)
    anonymous: bool = False
    responses: str = ONE
    quick_poll: bool = False
    reports_by: tuple[str, ...] = ()  # profile fields its results are broken down by

    @property
    def profile_fields(self) -> tuple[str, ...]:
        """The profile fields worth asking before this consultation: those it targets or
        reports by."""
        wanted = set(self.segment.profile_fields) | set(self.reports_by)
        return tuple(name for name in PROFILE_FIELDS if name in wanted)

    @property
    def one_response(self) -> bool:
        return self.responses == ONE

    def question(self, key: str) -> Question:
        return self.questions[self.index(key)]

    def index(self, key: str) -> int:
        for position, question in enumerate(self.questions):
            if question.key == key:
                return position
        raise KeyError(key)

    def accepts_on(self, day: date) -> bool:
        """Whether `day` (the commune's local date) is within the opening dates."""
        after_opening = self.opens_on is None or day >= self.opens_on
        before_closing = self.closes_on is None or day <= self.closes_on
        return after_opening and before_closing

    @property
    def poll_question(self) -> Question:
        """A quick poll's one question."""
        return self.asked[0]

    @property
    def asked(self) -> tuple[Question, ...]:
        """The questions that record an answer (notes left out), in order."""
        return tuple(question for question in self.questions if question.asks)
