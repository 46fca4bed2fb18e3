"""Updates fetched by long polling while the database is down are kept on disk, in order,
and stored and answered once it is back — also after a restart — on real databases."""

from __future__ import annotations

import json
from pathlib import Path

from bot.telegram.handling import UpdateHandler
from bot.telegram.sender import ReplySender
from bot.telegram.spool import UpdateSpool
from handlers.conversation_core import ConversationCore
from storage.database import Database
from storage.models import InboxUpdate
from tests.databases import create_schema
from tests.unit.telegram.test_reply_path import RecordingCalls, text_update


def handler(db: Database, settings, clock, spool: UpdateSpool, calls: RecordingCalls):
    core = ConversationCore(db, settings, clock)
    return UpdateHandler(core, calls, ReplySender(calls, db), spool=spool)


async def inbox_ids(db: Database) -> list[str]:
    async with db.engine.connect() as connection:
        rows = await connection.execute(
            InboxUpdate.__table__.select().order_by(InboxUpdate.__table__.c.id)
        )
        return [row.update_id for row in rows]


async def test_updates_wait_on_disk_until_the_database_is_back(tmp_path: Path, settings, clock):
    folder = tmp_path / "mounted-later"  # SQLite cannot open a file in a missing folder
    db = Database(f"sqlite+aiosqlite:///{folder / 'tachawor.db'}")
    spool_path = tmp_path / "spool.jsonl"
    calls = RecordingCalls()
    down = handler(db, settings, clock, UpdateSpool(spool_path), calls)
    for update_id in (1, 2):
        await down.on_update(text_update(update_id))
    assert [json.loads(line)["update_id"] for line in spool_path.read_text().splitlines()] == [
        1,
        2,
    ]
    await down.replay_spool()  # still down: nothing lost, nothing reordered
    assert len(down.spool) == 2 and calls.calls == []

    folder.mkdir()  # the database is back; the process restarted meanwhile
    await create_schema(db)
    restarted = handler(db, settings, clock, UpdateSpool(spool_path), calls)
    assert len(restarted.spool) == 2
    await restarted.on_update(text_update(3))  # arrives behind the waiting ones
    assert len(restarted.spool) == 3
    await restarted.replay_spool()
    assert await inbox_ids(db) == ["1", "2", "3"]
    assert "sendMessage" in calls.methods()  # the citizen is answered
    assert not spool_path.exists() and len(restarted.spool) == 0
    await restarted.on_update(text_update(4))  # nothing waits: stored at once
    assert await inbox_ids(db) == ["1", "2", "3", "4"]
    await db.close()


async def test_an_unreachable_postgresql_keeps_the_update_too(tmp_path: Path, settings, clock):
    db = Database("postgresql+asyncpg://tachawor@127.0.0.1:1/test")  # nothing listens there
    spool = UpdateSpool(tmp_path / "spool.jsonl")
    await handler(db, settings, clock, spool, RecordingCalls()).on_update(text_update(7))
    assert len(spool) == 1
    await db.close()


async def test_a_line_cut_short_by_a_crash_is_skipped(tmp_path: Path):
    path = tmp_path / "spool.jsonl"
    path.write_text(json.dumps(text_update(1)) + "\n" + '{"update_id": 2, "mess')
    assert len(UpdateSpool(path)) == 1


async def test_an_update_failing_for_another_reason_is_set_aside_not_blocking(tmp_path: Path):
    spool = UpdateSpool(tmp_path / "spool.jsonl")
    for update_id in (1, 2):
        spool.keep(text_update(update_id))
    stored = []

    async def store(update):
        if update["update_id"] == 1:
            raise ValueError("a bug, not an outage")
        stored.append(update["update_id"])

    assert await spool.replay(store) == 2
    assert stored == [2] and len(spool) == 0
    [set_aside] = spool.set_aside_path.read_text().splitlines()
    assert json.loads(set_aside)["update_id"] == 1
