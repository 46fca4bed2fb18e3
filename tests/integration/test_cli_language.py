"""The staff CLI speaks the staff's language, DEFAULT_LANGUAGE: with Arabic, what the
commands print for a person is Arabic, with no English (nor French) word left — only the
keys, codes, language codes and commands staff type, which are not words to translate."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from handlers.workshops import TEXT_LOCALES
from tests.consultations import MEDINA
from tests.integration.test_cli import tachawor

ARABIC = {"DEFAULT_LANGUAGE": "ar", "PSEUDONYM_KEY": "a-test-key"}
# What staff type or read as identifiers, not words.
NOT_WORDS = re.compile(
    r"`[^`]*`"  # a command
    r"|\b[a-z]+(?:_[a-z]+)+\b"  # a consultation key
    r"|\b(?:ary-Latn|fr|ar|ary|shi)\b"  # a language code
    r"|\b[A-Z]{6}\b"  # an attendance code
    r"|\b[A-Z]{3}-\d\d-[A-Z0-9]{5}\b"  # a tracking number
)


def latin_words(output: str) -> list[str]:
    return re.findall(r"[A-Za-zÀ-ÿ]{2,}", NOT_WORDS.sub("", output))


def test_the_commands_speak_arabic_when_the_staff_language_is_arabic(tmp_path: Path):
    database = f"sqlite+aiosqlite:///{tmp_path / 'ar.db'}"
    day = (datetime.now(ZoneInfo("Africa/Casablanca")) + timedelta(days=10)).strftime("%Y-%m-%d")
    texts = [f"--{name}={locale}=ورشة {locale}" for locale in TEXT_LOCALES
             for name in ("title", "description")]  # fmt: skip
    said = []

    def run(*args: str, status: int = 0) -> None:
        done = tachawor(*args, "--db", database, env=ARABIC, cwd=tmp_path)
        assert done.returncode == status, (args, done.stdout, done.stderr)
        said.append(done.stdout + done.stderr)

    run("db", "upgrade")
    run("workshops", "list")
    run(
        "workshops", "create", "--kind", "training", "--quarter", "Assarag", "--place", "قاعة",
        "--starts", f"{day} 10:00", "--ends", f"{day} 12:00", "--capacity", "12", *texts,
    )  # fmt: skip
    run("workshops", "publish", "1", "--announce")
    run("workshops", "list")
    run("workshops", "attendees", "1")
    run("workshops", "attendance", "1", "ABCDEF", status=1)
    run("workshops", "stats")
    run("workshops", "cancel", "1")
    run("workshops", "cancel", "1", status=1)
    run("consultations", "load", str(MEDINA))
    run("consultations", "open", "medina_public_space")
    run("consultations", "close", "medina_public_space")
    run("consultations", "open", "nothing_here", status=1)
    run("complaints", "list")
    run("complaints", "show", "TRD-26-22222", status=1)

    assert said[0].strip() == "قاعدة البيانات محيّنة."
    assert said[3].strip() == "تم نشر الورشة رقم 1؛ 0 إعلان(ات) في قائمة الإرسال."
    assert "مرفوض: الورشة رقم 1 ملغاة من قبل" in said[9]
    assert said[-2].strip() == "لا توجد أي شكاية."
    for output in said:
        assert re.search(r"[\u0600-\u06ff]", output), output
        assert not latin_words(output), output
