"""The workshop journey a newcomer tries on the default SQLite database, as the README
tells it: a workshop created with the CLI, a sign-up in `tachawor chat` in Darija that is
waitlisted, the promotion when the seat frees, the reminder in the chat (offsets shortened
by a setting), presence marked by code, and `tachawor participation` counting her."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from handlers.workshops import TEXT_LOCALES
from tests.integration.test_cli import tachawor

# Typed in the chat: the buttons' numbers, as the terminal shows them.
NEIGHBOUR_SIGNS_UP = "Bonjour\n1\n1\n3\n1\n1\n3\n3\n6\n"  # Français, ✅, Ateliers, it, ✍️, 🤐 ×3
AMINA_JOINS_THE_WAITLIST = "salam\n1\n1\n3\n1\n1\n1\n1\n2\n"  # Darija (latin), ✅, Warchat,
# it, ⏳, Derb Jdid, Mra, 18–29
NEIGHBOUR_CANCELS = "1\n1\n"  # ❌ Annuler mon inscription, Oui


def local(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("Africa/Casablanca")).strftime("%Y-%m-%d %H:%M")


def test_a_newcomer_runs_a_whole_workshop_from_the_terminal(tmp_path: Path):
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'tachawor.db'}",
           "WORKSHOP_REMINDERS": "3h"}  # fmt: skip
    starts = datetime.now(ZoneInfo("UTC")) + timedelta(hours=2)
    texts = [f"--{name}={locale}=Atelier {locale}" for locale in TEXT_LOCALES
             for name in ("title", "description")]  # fmt: skip
    created = tachawor(
        "workshops", "create", "--quarter", "Derb Jdid", "--place", "Salle", "--capacity", "1",
        "--starts", local(starts), "--ends", local(starts + timedelta(hours=2)), *texts,
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert tachawor("workshops", "publish", "1", env=env, cwd=tmp_path).returncode == 0

    def chat(user: str, typed: str = "") -> str:
        done = tachawor("chat", "--user", user, stdin=typed, env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return done.stdout

    seated = chat("neighbour", NEIGHBOUR_SIGNS_UP)
    assert "🎉 C'est fait, votre inscription est confirmée !" in seated
    waiting = chat("amina", AMINA_JOINS_THE_WAITLIST)
    assert "⏳ Rak f la2i7at l-intidar, nemra 1." in waiting
    assert "⏰" not in waiting, "the waitlist is not reminded"
    assert "Votre inscription est annulée" in chat("neighbour", NEIGHBOUR_CANCELS)

    promoted = chat("amina")
    assert "🎉 Tkhwat blasa f « Atelier ary-Latn »" in promoted
    code = re.search(r"L-code dyalek: ([A-Z0-9]{6})", promoted)
    assert code, promoted
    assert "⏰ Tadkir: « Atelier ary-Latn », " in promoted and code.group(1) in promoted
    assert "⏰" not in chat("amina"), "a reminder goes once"

    marked = tachawor("workshops", "attendance", "1", code.group(1).lower(), env=env)
    assert marked.stdout.strip() == f"✅ {code.group(1)} : présence enregistrée.", marked.stderr
    attendees = tachawor("workshops", "attendees", "1", env=env).stdout.splitlines()
    statuses = {line.split()[0]: line for line in attendees}
    seated = statuses.pop(code.group(1))
    assert "inscription confirmée" in seated and seated.endswith("présence notée")
    [neighbour] = statuses.values()
    assert "annulé" in neighbour and "présence" not in neighbour, "the neighbour"
    # The default period ends today (local): name the workshop's day, which is tomorrow
    # when this runs within two hours of midnight in Casablanca.
    workshop_day = local(starts).split()[0]
    report = tachawor("participation", "--to", workshop_day, env=env, cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    rows = {
        line.split()[0]: line.split()[1:] for line in report.stdout.splitlines() if line.strip()
    }
    assert rows["Femmes"] == ["0", "0", "<", "5", "<", "5"], "counted as a woman, shown < 5"
    assert rows["Hommes"] == ["0", "0", "0", "0"]
