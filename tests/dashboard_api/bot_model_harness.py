"""Helpers the bot model-endpoint tests share (the fixtures that use them are in conftest.py):
the merchant's own key, the process's secret box, an answer service on the fake servers, and
reading what was stored and sent."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from core.crypto import SecretBox
from core.db.database import Database
from core.models import Bot
from core.outbound import OutboundPolicy
from core.settings import get_settings
from emulators.openai import FakeOpenAI
from engine.answer import AnswerService
from tests.dashboard_api.harness import Merchant
from tests.dashboard_api.support import HashingEmbedder

# The tail has letters no hex digit spells: logs carry random hex (UUIDs, e-mail
# addresses), and a check for the tail must not find it there by chance.
MERCHANT_KEY = "sk-merchant-own-key-q7z9"
MERCHANT_KEY_TAIL = MERCHANT_KEY[-4:]
NEEDS_KEY = "llm_base_url_requires_api_key"


def process_keys() -> str:
    keys = get_settings().encryption_keys
    assert keys is not None, "the test settings configure encryption keys"
    return keys.get_secret_value()


def process_box() -> SecretBox:
    return SecretBox.from_setting(process_keys())


def answer_service(
    db: Database,
    fake_openai: FakeOpenAI | None,
    policy: OutboundPolicy | None,
    box: SecretBox | None = None,
) -> AnswerService:
    return AnswerService(
        db,
        HashingEmbedder(),
        openai_api_key=fake_openai.api_key if fake_openai else None,
        openai_base_url=fake_openai.base_url if fake_openai else None,
        secret_box=box or process_box(),
        outbound_policy=policy,
    )


def authorizations(server: FakeOpenAI) -> list[str]:
    return [r.headers.get("authorization", "") for r in server.requests]


def assert_problem(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


async def stored_ciphertext(db: Database, merchant: Merchant, bot_id=None) -> bytes | None:
    async with db.tenant_session(merchant.tenant_id) as session:
        return await session.scalar(
            select(Bot.llm_api_key_ciphertext).where(Bot.id == (bot_id or merchant.bot_id))
        )
