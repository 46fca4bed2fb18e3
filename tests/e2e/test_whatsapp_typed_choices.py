"""More choices than a WhatsApp list holds (10) come as a numbered list; the citizen
answers by typing the number — in Western or Arabic digits — as long as that list is the
latest question. Through the WhatsApp adapter against the fake Cloud API, on SQLite and
PostgreSQL, with a commune of twelve quarters."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from handlers.turns import CoreSettings
from tests.e2e.fake_cloud_api import FakeCloudApi
from tests.e2e.whatsapp_bot import answer, running_whatsapp, settled, signed_up_in_french

KARIM = "212661000002"
QUARTERS = tuple(f"Quartier {n}" for n in range(1, 13))


@pytest.fixture
def settings() -> CoreSettings:
    return CoreSettings(
        commune_name="Taroudant", privacy_contact="dpo@taroudant.test",
        cndp_declaration="D-TEST-1", commune_quarters=QUARTERS,
    )  # fmt: skip


@pytest.fixture
async def meta() -> AsyncIterator[FakeCloudApi]:
    async with FakeCloudApi() as fake:
        yield fake


async def at_the_place_question(meta: FakeCloudApi) -> str:
    await signed_up_in_french(meta, KARIM)
    for label in ("Réclamations", "Déposer", "Réclamation", "Déchets"):
        await answer(meta, KARIM, label)
    description = "Des ordures s'accumulent devant l'école depuis une semaine."
    await answer(meta, KARIM, lambda: meta.user_sends_text(KARIM, description))
    await settled(meta, KARIM)
    question = meta.last_message_to(KARIM)
    assert not question.buttons and not question.rows, "13 choices: a numbered list"
    return question.text


@pytest.mark.parametrize("typed", ["3", "٣"])
async def test_a_typed_number_picks_that_choice_of_a_numbered_list(meta, core, db, typed):
    async with running_whatsapp(meta, core):
        question = await at_the_place_question(meta)
        assert "3. Quartier 3" in question and "12. Quartier 12" in question
        await answer(meta, KARIM, lambda: meta.user_sends_text(KARIM, typed))
        await settled(meta, KARIM)
        async with db.transaction() as uow:
            conversation = await uow.conversations.find("whatsapp", KARIM)
    assert conversation is not None
    assert conversation.data["flow"].get("quarter") == "Quartier 3", meta.transcript(KARIM)


async def test_a_number_beyond_the_list_is_read_as_text(meta, core, db):
    async with running_whatsapp(meta, core):
        await at_the_place_question(meta)
        await answer(meta, KARIM, lambda: meta.user_sends_text(KARIM, "40"))
        await settled(meta, KARIM)
        async with db.transaction() as uow:
            conversation = await uow.conversations.find("whatsapp", KARIM)
    assert conversation is not None
    assert conversation.data["flow"].get("quarter") is None, meta.transcript(KARIM)
