"""The back-office under test: the real aiohttp server on 127.0.0.1 over a test database,
and a client that behaves like a browser — it keeps cookies, follows no redirect unless
asked, and sends the CSRF token of the last page it read, the way a form would."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp
from pydantic import SecretStr
from sqlalchemy import select

from bot.settings import Settings
from bot.web.app import BackOfficeServer, back_office_app
from handlers.clock import Clock
from handlers.staff import set_staff_password
from storage.database import Database

PASSWORD = "Tamazirt-2026-Souss"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def web_settings(db: Database, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": db.url,
        "pseudonym_key": SecretStr("7" * 64),
        "staff_chat_id": "-100200300",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def rows_of(db: Database, model: Any) -> list[Any]:
    """Every row of a table, in primary-key order, as the tests check what a page wrote."""
    [key, *_] = model.__table__.primary_key.columns
    async with db.transaction() as uow:
        result = await uow._session.execute(select(model).order_by(key))
        return list(result.scalars())


async def add_staff_member(
    db: Database,
    user_id: str,
    role: str,
    now: datetime,
    *,
    name: str | None = None,
    login: str | None = None,
    password: str = PASSWORD,
) -> str:
    """A staff member with a back-office password; their login."""
    async with db.transaction() as uow:
        member = await uow.staff.save("telegram", user_id, name or f"Staff {user_id}", role, now)
        return await set_staff_password(uow, member, password, now, login or f"user{user_id}")


class Page:
    def __init__(self, status: int, text: str, headers: Mapping[str, str], url: str) -> None:
        self.status, self.text, self.headers, self.url = status, text, headers, url

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    @property
    def csrf_token(self) -> str | None:
        found = CSRF_FIELD.search(self.text)
        return found[1] if found else None


class WebClient:
    """One browser: its own cookies, the last page read."""

    def __init__(self, base_url: str, *, new_connection_each_time: bool = False) -> None:
        self.base_url = base_url
        connector = aiohttp.TCPConnector(force_close=new_connection_each_time)
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True), connector=connector
        )
        self.last: Page | None = None

    async def close(self) -> None:
        await self.session.close()

    async def get(self, path: str, *, follow: bool = False, **params: str) -> Page:
        async with self.session.get(
            self.base_url + path, params=params or None, allow_redirects=follow
        ) as response:
            self.last = Page(
                response.status, await response.text(), response.headers, str(response.url)
            )
        return self.last

    async def get_bytes(self, path: str, **params: str) -> tuple[int, Mapping[str, str], bytes]:
        async with self.session.get(
            self.base_url + path, params=params or None, allow_redirects=False
        ) as response:
            return response.status, response.headers, await response.read()

    async def post(
        self,
        path: str,
        form: Mapping[str, str] | None = None,
        *,
        csrf: bool = True,
        follow: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> Page:
        """Submit a form; with the token of the last page read, as a browser would."""
        data = dict(form or {})
        if csrf and "csrf_token" not in data:
            if self.last is None or self.last.csrf_token is None:
                raise AssertionError("no page with a form was read before posting")
            data["csrf_token"] = self.last.csrf_token
        async with self.session.post(
            self.base_url + path, data=data, allow_redirects=follow, headers=headers
        ) as response:
            self.last = Page(
                response.status, await response.text(), response.headers, str(response.url)
            )
        return self.last

    async def sign_in(self, login: str, password: str = PASSWORD) -> Page:
        await self.get("/sign-in")
        page = await self.post("/sign-in", {"login": login, "password": password})
        assert page.status == 303, page.text
        return page


@dataclass
class RunningBackOffice:
    server: BackOfficeServer
    settings: Settings
    db: Database
    clock: Clock
    base_url: str

    def client(self) -> WebClient:
        return WebClient(self.base_url)


async def start_back_office(db: Database, clock: Clock, **overrides: Any) -> RunningBackOffice:
    settings = web_settings(db, **overrides)
    server = BackOfficeServer(back_office_app(settings, db, clock))
    port = await server.start("127.0.0.1", 0)
    return RunningBackOffice(server, settings, db, clock, f"http://127.0.0.1:{port}")
