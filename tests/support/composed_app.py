"""The process's one ASGI app as `shopbot serve` builds it (`cli.asgi.build_app`: widget API,
merchant API and webhooks with every middleware), on a test `Database`."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy.engine import URL

from cli.asgi import build_app
from cli.services import Services
from core.crypto import SecretBox
from core.db.config import DatabaseUrls
from core.db.database import Database
from core.runtime import Runtime
from core.secrets import ProcessSecrets
from core.settings import get_settings
from tests.dashboard_api.support import HashingEmbedder

PUBLIC_API_URL = "http://api.test"


def composed_app(
    db: Database,
    app_url: URL,
    *,
    answer_service=None,
    settings_update: dict | None = None,
    redis: Redis | None = None,
) -> FastAPI:
    """`settings_update`: settings a test changes (an SMTP server to send to, a delay).
    `redis`: the process's Redis client (None: in-process limits and cache)."""
    settings = get_settings().model_copy(
        update=(settings_update or {})
        | {
            "public_api_url": PUBLIC_API_URL,
            # Billing configured, as in production: `/webhooks/stripe` then checks signatures
            # (without Stripe it is a deliberate 503). Nothing here signs an event, so no
            # request ever goes to the API base, a closed port on this machine.
            "stripe_secret_key": SecretStr("sk_test_composed_app"),
            "stripe_webhook_secret": SecretStr("whsec_composed_app"),
            "stripe_api_base": "http://127.0.0.1:9",
        }
    )
    # tests/conftest.py sets both keys for the whole run.
    assert settings.secret_key is not None and settings.encryption_keys is not None
    secrets = ProcessSecrets(
        signing_key=settings.secret_key.get_secret_value(),
        secret_box=SecretBox.from_setting(settings.encryption_keys.get_secret_value()),
    )
    runtime = Runtime(
        settings=settings,
        urls=DatabaseUrls(owner=app_url, app=app_url, embedded=False),
        db=db,
        secrets=secrets,
    )
    services = Services(embedder=HashingEmbedder(), redis=redis, answer_service=answer_service)
    return build_app(runtime, services)


def composed_client(app: FastAPI, ip: str = "198.51.100.23") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))
    return httpx.AsyncClient(transport=transport, base_url=PUBLIC_API_URL)
