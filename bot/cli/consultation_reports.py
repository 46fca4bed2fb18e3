"""Consultation results for staff at the terminal: a table per question (counts,
percentages and bars, averages, free-text answers) and, on request, a PNG chart per
question with choices (through surveys.charts)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from handlers.languages import LOCALES, Translator
from surveys.definitions import Consultation
from surveys.results import QuestionResult, Results
from surveys.texts import text_in

BAR_WIDTH = 20
Print = Callable[[str], None]


def print_results(
    t: Translator,
    consultation: Consultation,
    results: Results,
    language: str,
    filters: str,
    out: Print = print,
) -> None:
    """The results in the staff's language `t`, the consultation's texts in `language`."""
    title = text_in(consultation, consultation.title, language)[1]
    heading = t("cli.consultations.results_title", title=title, responses=results.responses)
    out(heading + (f" ({filters})" if filters else ""))
    for number, result in enumerate(results.questions, start=1):
        out("")
        out(f"{number}. {result.label} [{result.question.key}, {result.question.type}]")
        out("   " + t("cli.consultations.answered", count=result.answered))
        for line in _details(t, result):
            out("   " + line)


def _details(t: Translator, result: QuestionResult) -> list[str]:
    lines = []
    width = max((len(count.label) for count in result.counts), default=0)
    for count in result.counts:
        bar = "█" * round(BAR_WIDTH * count.percent / 100)
        lines.append(f"{count.label:<{width}}  {count.count:>5}  {count.percent:5.1f}%  {bar}")
    if result.average is not None:
        lines.append(
            t(
                "cli.consultations.average",
                average=f"{result.average:g}",
                minimum=f"{result.minimum:g}",
                maximum=f"{result.maximum:g}",
            )
        )
    lines.extend(f"- {text}" for text in result.texts)
    return lines


def write_charts(results: Results, directory: Path, language: str) -> list[Path]:
    """A bar chart per question with choices; the files written."""
    from surveys.charts import bar_chart  # matplotlib loads only when charts are asked for

    rtl = LOCALES.get(language, LOCALES["fr"]).rtl
    written = []
    for number, result in enumerate(results.questions, start=1):
        if not result.counts:
            continue
        path = directory / f"{number:02d}_{result.question.key}.png"
        labels = [count.label for count in result.counts]
        values = [count.count for count in result.counts]
        chart = bar_chart(path, result.label, labels, values, rtl=rtl, total=result.answered)
        written.append(chart)
    return written
