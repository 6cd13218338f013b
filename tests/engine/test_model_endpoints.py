"""Where a bot's questions go, and with whose key (engine.llm.endpoints): the platform's key
only to the platform's endpoint, a merchant's endpoint only with the merchant's key and
through the outbound guard, and new bots on the platform's model when it has one.

Two real servers on 127.0.0.1: the fake OpenAI server as the platform's endpoint, and a
second one standing for an endpoint a merchant (or an attacker posing as one) controls; it
records every request it receives, with its headers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import update

from core.crypto import SecretBox
from core.ids import BotId
from core.models import Bot
from core.provisioning import provision_tenant
from core.settings import get_settings
from emulators.openai import FakeOpenAI
from engine.answer import AnswerService
from engine.answer_events import Question
from engine.embeddings import shared_local_embedder
from engine.types import LLMSettings
from tests.engine.support import CATALOGUE
from tests.support.index import seed_store
from tests.support.model_endpoints import loopback_policy

MERCHANT_KEY = "sk-merchant-own-key-4821"
MERCHANT_REPLY = "From the merchant's own model: the Alpine Rain Jacket [1] suits rainy hikes."
PLATFORM_REPLY = "From the platform's model: the Alpine Rain Jacket [1] is waterproof."
QUESTION = "do you have a rain jacket for hiking?"


@pytest.fixture(scope="module")
def merchant_endpoint_server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(api_key=MERCHANT_KEY) as server:
        yield server


@pytest.fixture
def merchant_endpoint(merchant_endpoint_server: FakeOpenAI) -> FakeOpenAI:
    merchant_endpoint_server.reset()
    merchant_endpoint_server.reply_with(MERCHANT_REPLY)
    return merchant_endpoint_server


def secret_box() -> SecretBox:
    keys = get_settings().encryption_keys
    assert keys is not None, "the test settings configure encryption keys"
    return SecretBox.from_setting(keys.get_secret_value())


@pytest.fixture
async def shop(db):
    tenant = await provision_tenant(db, name="Peak Outfitters", allowed_origins=[])
    await seed_store(db, tenant.tenant_id, shared_local_embedder(), CATALOGUE)
    return tenant


async def set_bot_model(
    db, tenant, llm_settings: dict, key_ciphertext: bytes | None = None
) -> None:
    """Written straight into the row, as rows written before the API refused them are."""
    async with db.tenant_session(tenant.tenant_id) as session:
        await session.execute(
            update(Bot)
            .where(Bot.id == tenant.bot_id)
            .values(llm_settings=llm_settings, llm_api_key_ciphertext=key_ciphertext)
        )


async def give_bot_own_endpoint(db, tenant, base_url: str) -> None:
    """The bot's own endpoint with the merchant's own key (encrypted with the process's keys)."""
    await set_bot_model(
        db,
        tenant,
        {"provider": "openai", "base_url": base_url, "max_retries": 0},
        secret_box().encrypt(MERCHANT_KEY),
    )


def platform_service(db, fake_openai: FakeOpenAI, **kwargs) -> AnswerService:
    return AnswerService(
        db,
        shared_local_embedder(),
        openai_api_key=fake_openai.api_key,
        openai_base_url=fake_openai.base_url,
        secret_box=secret_box(),
        **kwargs,
    )


def ask(tenant, message: str = QUESTION) -> Question:
    return Question(tenant_id=tenant.tenant_id, bot_id=BotId(tenant.bot_id), message=message)


def authorizations(server: FakeOpenAI) -> list[str]:
    return [r.headers.get("authorization", "") for r in server.requests]


# -- a bot endpoint without a key of its own -------------------------------------------------


async def test_a_stored_foreign_base_url_without_a_key_never_receives_the_platform_key(
    db,
    shop,
    fake_openai: FakeOpenAI,
    merchant_endpoint: FakeOpenAI,
    caplog: pytest.LogCaptureFixture,
) -> None:
    host_and_port = merchant_endpoint.base_url.removeprefix("http://").removesuffix("/v1")
    # User info and a query in the stored URL stand for secrets it may carry.
    foreign = f"http://admin:hunter2@{host_and_port}/v1?token=s3cr3t"
    await set_bot_model(db, shop, {"provider": "openai", "base_url": foreign, "max_retries": 0})
    fake_openai.reply_with(PLATFORM_REPLY)
    service = platform_service(
        db, fake_openai, outbound_policy=loopback_policy(merchant_endpoint, fake_openai)
    )

    with caplog.at_level(logging.WARNING, logger="engine.llm.endpoints"):
        result = await service.answer(ask(shop))

    assert merchant_endpoint.requests == [], "the bot's own endpoint got nothing"
    assert f"Bearer {fake_openai.api_key}" not in authorizations(merchant_endpoint)
    platform_calls = fake_openai.requests_to("/v1/chat/completions")
    assert platform_calls and all(
        r.headers["authorization"] == f"Bearer {fake_openai.api_key}" for r in platform_calls
    ), "answered through the platform's endpoint instead"
    assert "Alpine Rain Jacket" in result.answer
    warning = "\n".join(r.getMessage() for r in caplog.records)
    assert f"http://127.0.0.1:{host_and_port.split(':')[1]}" in warning
    for secret in ("hunter2", "admin", "s3cr3t", "/v1"):
        assert secret not in warning


async def test_a_stored_base_url_without_a_key_and_no_platform_key_answers_offline(
    db, shop, merchant_endpoint: FakeOpenAI
) -> None:
    await set_bot_model(db, shop, {"provider": "openai", "base_url": merchant_endpoint.base_url})
    service = AnswerService(
        db, shared_local_embedder(), outbound_policy=loopback_policy(merchant_endpoint)
    )
    result = await service.answer(ask(shop))
    assert merchant_endpoint.requests == []
    assert "Alpine Rain Jacket" in result.answer


# -- a bot endpoint with the merchant's own key ----------------------------------------------


async def test_a_bot_endpoint_with_its_own_key_gets_that_key_and_never_the_platform_key(
    db, shop, fake_openai: FakeOpenAI, merchant_endpoint: FakeOpenAI
) -> None:
    await give_bot_own_endpoint(db, shop, merchant_endpoint.base_url)
    service = platform_service(db, fake_openai, outbound_policy=loopback_policy(merchant_endpoint))

    result = await service.answer(ask(shop))

    calls = merchant_endpoint.requests_to("/v1/chat/completions")
    assert calls and authorizations(merchant_endpoint) == [f"Bearer {MERCHANT_KEY}"] * len(calls)
    assert fake_openai.requests == [], "the platform's endpoint is not asked for this bot"
    assert "merchant's own model" in result.answer


async def test_a_replaced_key_is_used_from_the_next_question_on(
    db, shop, fake_openai: FakeOpenAI, merchant_endpoint: FakeOpenAI
) -> None:
    box = secret_box()
    settings = {"provider": "openai", "base_url": merchant_endpoint.base_url, "max_retries": 0}
    await set_bot_model(db, shop, settings, box.encrypt("sk-merchant-old-key"))
    service = platform_service(db, fake_openai, outbound_policy=loopback_policy(merchant_endpoint))
    await service.answer(ask(shop))  # refused by the server (wrong key): answered offline
    await set_bot_model(db, shop, settings, box.encrypt(MERCHANT_KEY))
    merchant_endpoint.reply_with(MERCHANT_REPLY)
    result = await service.answer(ask(shop))
    assert authorizations(merchant_endpoint)[0] == "Bearer sk-merchant-old-key"
    assert authorizations(merchant_endpoint)[-1] == f"Bearer {MERCHANT_KEY}"
    assert "merchant's own model" in result.answer


# What the openai client would add from the platform's environment: an organisation, a
# project, and custom headers (a gateway's key, an ambient Authorization).
PLATFORM_ENVIRONMENT = {
    "OPENAI_ORG_ID": "org-platform-PLATFORMENV",
    "OPENAI_PROJECT_ID": "proj_platform_PLATFORMENV",
    "OPENAI_CUSTOM_HEADERS": (
        "X-Gateway-Key: gw-platform-PLATFORMENV\n"
        "Authorization: Bearer sk-platform-ambient-PLATFORMENV"
    ),
}


def assert_only_the_merchants_key(server: FakeOpenAI) -> None:
    calls = server.requests_to("/v1/chat/completions")
    assert calls
    for call in calls:
        assert call.headers["authorization"] == f"Bearer {MERCHANT_KEY}"
        leaked = [
            f"{k}: {v}"
            for k, v in call.headers.items()
            if "PLATFORMENV" in v or k.startswith(("openai-", "x-gateway"))
        ]
        assert leaked == []


async def test_a_bot_endpoint_gets_the_merchants_key_and_nothing_from_the_platforms_environment(
    db,
    shop,
    fake_openai: FakeOpenAI,
    merchant_endpoint: FakeOpenAI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in PLATFORM_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    await give_bot_own_endpoint(db, shop, merchant_endpoint.base_url)
    service = platform_service(db, fake_openai, outbound_policy=loopback_policy(merchant_endpoint))
    result = await service.answer(ask(shop))
    assert "merchant's own model" in result.answer
    assert_only_the_merchants_key(merchant_endpoint)


async def test_a_merchants_key_without_an_endpoint_goes_alone_to_openais_api(
    db,
    shop,
    fake_openai: FakeOpenAI,
    merchant_endpoint: FakeOpenAI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in PLATFORM_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    # The second fake server stands in for OpenAI's public API.
    monkeypatch.setattr("engine.llm.endpoints.OPENAI_PUBLIC_BASE_URL", merchant_endpoint.base_url)
    await set_bot_model(db, shop, {"max_retries": 0}, secret_box().encrypt(MERCHANT_KEY))
    result = await platform_service(db, fake_openai).answer(ask(shop))
    assert "merchant's own model" in result.answer
    assert fake_openai.requests == []
    assert_only_the_merchants_key(merchant_endpoint)


@pytest.mark.parametrize(
    "metadata", ["https://169.254.169.254/v1", "https://[::ffff:169.254.169.254]/v1"]
)
async def test_a_bot_endpoint_at_a_metadata_address_is_refused_at_request_time(
    db, shop, fake_openai: FakeOpenAI, metadata: str, caplog: pytest.LogCaptureFixture
) -> None:
    await set_bot_model(
        db, shop, {"provider": "openai", "base_url": metadata}, secret_box().encrypt(MERCHANT_KEY)
    )
    # The outbound guard refuses before connecting, once (a retry would be refused again);
    # the shopper still gets an answer from the facts.
    with caplog.at_level(logging.WARNING, logger="engine.llm.openai_chat"):
        result = await platform_service(db, fake_openai).answer(ask(shop))
    assert "Alpine Rain Jacket" in result.answer
    assert fake_openai.requests == []
    refusals = [
        r for r in caplog.records if "refused by the outbound guard (link_local)" in r.getMessage()
    ]
    assert len(refusals) == 1


async def test_a_loopback_bot_endpoint_is_refused_without_the_tests_explicit_policy(
    db, shop, fake_openai: FakeOpenAI, merchant_endpoint: FakeOpenAI
) -> None:
    await give_bot_own_endpoint(db, shop, merchant_endpoint.base_url)
    result = await platform_service(db, fake_openai).answer(ask(shop))  # the strict default policy
    assert merchant_endpoint.requests == [], "nothing reached the listener on 127.0.0.1"
    assert fake_openai.requests == []
    assert "Alpine Rain Jacket" in result.answer


# -- new bots: the platform's model when it has one (item 16) ----------------------------------


async def test_a_new_bot_answers_through_the_platforms_model_when_the_platform_has_a_key(
    db, fake_openai: FakeOpenAI
) -> None:
    tenant = await provision_tenant(db, name="Fresh Shop", allowed_origins=[])
    await seed_store(db, tenant.tenant_id, shared_local_embedder(), CATALOGUE)
    fake_openai.reply_with(PLATFORM_REPLY)
    result = await platform_service(db, fake_openai).answer(ask(tenant))
    calls = fake_openai.requests_to("/v1/chat/completions")
    assert len(calls) == 1 and calls[0].headers["authorization"] == f"Bearer {fake_openai.api_key}"
    assert calls[0].body["model"] == LLMSettings().model
    assert "platform's model" in result.answer


async def test_a_new_bot_answers_offline_when_the_platform_has_no_key(
    db, fake_openai: FakeOpenAI
) -> None:
    tenant = await provision_tenant(db, name="Fresh Shop", allowed_origins=[])
    await seed_store(db, tenant.tenant_id, shared_local_embedder(), CATALOGUE)
    result = await AnswerService(
        db, shared_local_embedder(), openai_base_url=fake_openai.base_url
    ).answer(ask(tenant))
    assert fake_openai.requests == []
    assert "Alpine Rain Jacket" in result.answer and "platform's model" not in result.answer


async def test_a_bot_that_chose_offline_stays_offline_on_a_platform_with_a_key(
    db, shop, fake_openai: FakeOpenAI
) -> None:
    await set_bot_model(db, shop, {"provider": "offline"})
    result = await platform_service(db, fake_openai).answer(ask(shop))
    assert fake_openai.requests == []
    assert "Alpine Rain Jacket" in result.answer
