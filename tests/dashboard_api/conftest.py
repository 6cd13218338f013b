"""Dashboard API test fixtures: the real app on the rolled-back `db` and real Redis, a real
SMTP server for the emails, and a registered merchant (helpers in harness.py)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis

from core.db.database import Database
from core.email import EmailSender, SmtpConfig, SmtpEmailSender
from emulators.openai import FakeOpenAI
from tests.dashboard_api.bot_model_harness import MERCHANT_KEY, answer_service
from tests.dashboard_api.harness import Merchant, build_app, client_for, register
from tests.support.mail import SmtpTestServer
from tests.support.model_endpoints import loopback_policy


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(os.environ["REDIS_URL"])
    yield client
    await client.aclose()


@pytest.fixture(scope="session")
def mailbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpTestServer]:
    """A real SMTP server; tests read what arrived there (by recipient: emails are unique)."""
    server = SmtpTestServer(tmp_path_factory.mktemp("smtp")).start()
    yield server
    server.stop()


@pytest.fixture
def outbox(mailbox: SmtpTestServer) -> EmailSender:
    """The app's sender: really over SMTP, to `mailbox` (plain; test_email covers STARTTLS
    and AUTH)."""
    return SmtpEmailSender(SmtpConfig(host=mailbox.host, port=mailbox.port, security="none"))


@pytest.fixture
def app(db: Database, redis: Redis, outbox: EmailSender) -> FastAPI:
    return build_app(db, redis=redis, email_sender=outbox)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as http:
        yield http


@pytest.fixture
async def merchant(client: httpx.AsyncClient) -> Merchant:
    return await register(client)


# The bot model-endpoint tests: a second fake model server for the merchant's own endpoint,
# and the merchant API with a platform key and a policy reaching both servers.


@pytest.fixture(scope="module")
def merchant_endpoint_server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(api_key=MERCHANT_KEY) as server:
        yield server


@pytest.fixture
def merchant_endpoint(merchant_endpoint_server: FakeOpenAI) -> FakeOpenAI:
    merchant_endpoint_server.reset()
    merchant_endpoint_server.reply_with("Answered by the merchant's own model.")
    return merchant_endpoint_server


@pytest.fixture
async def platform(
    db, redis, fake_openai: FakeOpenAI, merchant_endpoint: FakeOpenAI
) -> AsyncIterator[httpx.AsyncClient]:
    """The merchant API with a platform key, answering through the fake OpenAI server, and
    an outbound policy that lets it reach both servers on 127.0.0.1."""
    policy = loopback_policy(fake_openai, merchant_endpoint)
    app = build_app(
        db,
        redis=redis,
        answer_service=answer_service(db, fake_openai, policy),
        outbound_policy=policy,
    )
    async with client_for(app) as client:
        yield client
