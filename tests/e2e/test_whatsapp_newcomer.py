"""The README's "Run on WhatsApp" walk-through as a newcomer does it, with real processes
on one SQLite file: the fake Cloud API (`python -m tests.e2e.fake_cloud_api`, driven by
typing into it), `tachawor whatsapp`, a citizen who chats in Darija and files a complaint,
the next day (`advance 25`) a status set with `tachawor complaints set-status` that reaches
them as the approved template, and `tachawor complaints show` naming their channel."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import free_port
from tests.integration.test_cli import tachawor

CITIZEN = "212600000001"
TEMPLATE = "tachawor_complaint_update"
TRACKING_NUMBER = re.compile(r"TRD-\d\d-[2-9A-Z]{5}")


class Process:
    """A command whose output lines are read as they come."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: Path) -> None:
        self.popen = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, env={**os.environ, "LOG_LEVEL": "WARNING", **env}, cwd=cwd, bufsize=1,
        )  # fmt: skip
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self._queue.put(line.rstrip("\n"))

    def new_lines(self, *, quiet: float = 0.6, timeout: float = 20.0) -> list[str]:
        """The lines printed from now until it has been quiet for `quiet` seconds."""
        found: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                found.append(self._queue.get(timeout=quiet))
            except queue.Empty:
                if found:
                    break
        self.lines += found
        return found

    def wait_for(self, pattern: str, timeout: float = 30.0, *, since: int = 0) -> str:
        """The first line matching `pattern` among those printed from line `since` on,
        waiting for it to come."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[since:]:
                if re.search(pattern, line):
                    return line
            self.new_lines(quiet=0.2, timeout=1.0)
            if self.popen.poll() is not None:
                break
        raise AssertionError(f"{pattern!r} never printed:\n" + "\n".join(self.lines[-40:]))

    def type(self, line: str, *, answered_by: str | None = None) -> list[str]:
        """Type a line; what it printed (`answered_by`: wait, however loaded the machine,
        for a line starting so — the bot's answer — then for quiet)."""
        assert self.popen.stdin is not None
        self.popen.stdin.write(line + "\n")
        self.popen.stdin.flush()
        printed = self.new_lines()
        deadline = time.monotonic() + 60.0
        while answered_by and not any(p.startswith(answered_by) for p in printed):
            assert time.monotonic() < deadline, f"no answer to {line!r}: {printed}"
            printed += self.new_lines()
        return printed

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()


def readme_lines() -> list[str]:
    """What the README's "Run on WhatsApp" has the newcomer type into the fake."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Run on WhatsApp") :]
    block = section[section.index("```text\n") + 8 :]
    return block[: block.index("```")].strip().splitlines()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_the_readme_walk_through_on_whatsapp_in_darija(tmp_path: Path):
    database = f"sqlite+aiosqlite:///{tmp_path / 'tachawor.db'}"
    meta_port, bot_port = free_port(), free_port()
    webhook = f"http://127.0.0.1:{bot_port}/whatsapp/webhook"
    env = {
        "DATABASE_URL": database,
        "WHATSAPP_PHONE_NUMBER_ID": "109876543210987",
        "WHATSAPP_ACCESS_TOKEN": "EAAG-tachawor-test-access-token",
        "WHATSAPP_APP_SECRET": "s3cret",
        "WHATSAPP_VERIFY_TOKEN": "v3rify",
        "WHATSAPP_GRAPH_API_BASE_URL": f"http://127.0.0.1:{meta_port}",
        "WHATSAPP_API_VERSION": "v21.0",
        "WHATSAPP_PORT": str(bot_port),
        "WHATSAPP_TEMPLATES": f"complaint={TEMPLATE}",
    }
    root = Path(__file__).resolve().parents[2]
    bot = Process([sys.executable, "-m", "bot.cli", "whatsapp"], env, tmp_path)
    meta: Process | None = None
    try:
        bot.wait_for(re.escape(webhook))
        meta = Process(
            [sys.executable, "-m", "tests.e2e.fake_cloud_api", "--port", str(meta_port),
             "--webhook", webhook, "--app-secret", "s3cret", "--verify-token", "v3rify"],
            {}, root,
        )  # fmt: skip
        meta.wait_for("type help")
        assert any("handshake" in line and "ok" in line for line in meta.lines), meta.lines
        typed: list[str] = []
        for line in readme_lines():  # a citizen's line waits for the bot's answer
            words = line.split(" ", 2)
            if line.startswith(CITIZEN) and words[1] in ("button", "list"):
                shown = (f"    [{words[2]}]", f"    ☰ {words[2]}")
                while not any(p.startswith(shown) for p in typed):  # the choice is on screen
                    typed += meta.new_lines(timeout=2.0)
                    assert meta.popen.poll() is None, typed
            answer = f"→ {CITIZEN}: " if line.startswith(CITIZEN) else None
            typed += meta.type(line, answered_by=answer)
        typed += meta.new_lines(timeout=2.0)
        numbers = TRACKING_NUMBER.findall("\n".join(typed))
        assert numbers, "\n".join(meta.lines[-30:])
        number = numbers[0]
        assert not any("✗" in line for line in typed), typed
        pushed = len(meta.lines)
        comment = "Lfari9 ghadi ydouz ghda"
        moved = tachawor(
            "complaints", "set-status", number, "acknowledged", "--comment", comment,
            cwd=tmp_path, env=env,
        )  # fmt: skip
        assert moved.returncode == 0, moved.stderr
        # Sent free-form (the bot's clock finds the window open), refused by Meta, then
        # sent again as the template.
        refused = meta.wait_for(rf"✗ {CITIZEN}: .* failed with 131047", since=pushed)
        after = meta.lines.index(refused, pushed) + 1
        template = meta.wait_for(rf"→ {CITIZEN}: .*{comment}", since=after)
        assert number in template

        shown = tachawor("complaints", "show", number, cwd=tmp_path, env=env)
        assert shown.returncode == 0, shown.stderr
        assert "WhatsApp" in shown.stdout, shown.stdout
    finally:
        if meta is not None:
            meta.stop()
        bot.stop()
