"""The back-office on 127.0.0.1 over each test database, with a clock the tests move."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from handlers.clock import ManualClock
from storage.database import Database
from tests.web_client import RunningBackOffice, WebClient, add_staff_member, start_back_office


@pytest.fixture
async def office(db: Database, clock: ManualClock) -> AsyncIterator[RunningBackOffice]:
    running = await start_back_office(db, clock)
    yield running
    await running.server.stop()


@pytest.fixture
async def browser(office: RunningBackOffice) -> AsyncIterator[WebClient]:
    client = office.client()
    yield client
    await client.close()


@pytest.fixture
async def admin(office: RunningBackOffice, clock: ManualClock) -> str:
    return await add_staff_member(office.db, "1001", "admin", clock.now(), name="Amina Admin")


@pytest.fixture
async def agent(office: RunningBackOffice, clock: ManualClock) -> str:
    return await add_staff_member(office.db, "2002", "agent", clock.now(), name="Youssef Agent")
