"""The dashboard API tests' app and merchants: the real app (error handlers from
`web.errors`, the request guards and the dashboard routes) over httpx's ASGI transport, and
owners or members registered through it. Plain helpers; the fixtures are in conftest.py."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

import httpx
from argon2 import PasswordHasher
from fastapi import FastAPI
from redis.asyncio import Redis

from core.crypto import SecretBox
from core.db.database import Database
from core.email import EmailSender, LoggingEmailSender
from core.ids import TenantId
from core.settings import get_settings
from dashboard_api.auth import repository as auth_repository
from dashboard_api.dependencies import DashboardDependencies
from dashboard_api.routes import include_dashboard_api
from web.errors import install_error_handlers
from web.guards import install_request_guards

PASSWORD = "correct horse battery staple"
# Snippets and emailed links point here: the configured URL, never a request's Host.
PUBLIC_API_URL = "https://api.shopbot.test"
# Cheap argon2id parameters: the tests exercise the flow, not the work factor.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def build_app(
    db: Database,
    *,
    redis: Redis | None = None,
    answer_service=None,
    email_sender: EmailSender | None = None,
    **extra,
) -> FastAPI:
    settings = get_settings().model_copy(update={"public_api_url": PUBLIC_API_URL})
    assert settings.secret_key is not None and settings.encryption_keys is not None, (
        "the test settings configure both secrets"
    )
    app = FastAPI(title="Shopbot dashboard (tests)")
    install_error_handlers(app)
    install_request_guards(app)  # the guards every route of `shopbot serve` has
    include_dashboard_api(
        app,
        DashboardDependencies(
            db=db,
            settings=settings,
            signing_key=settings.secret_key.get_secret_value(),
            secret_box=SecretBox.from_setting(settings.encryption_keys.get_secret_value()),
            redis=redis,
            answer_service=answer_service,
            email_sender=email_sender or LoggingEmailSender(),
            password_hasher=FAST_HASHER,
            **extra,
        ),
    )
    return app


def random_ip() -> str:
    # Each app gets its own client address, so per-IP throttles of one test (or of an
    # earlier run, in Redis) never meet another's.
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def client_for(app: FastAPI, ip: str | None = None) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip or random_ip(), 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://dashboard.test")


def unique_email(label: str = "merchant") -> str:
    return f"{label}-{uuid.uuid4().hex[:12]}@example.com"


@dataclass
class Merchant:
    """A registered owner: their business, default bot and a signed-in client's headers."""

    email: str
    user_id: uuid.UUID
    tenant_id: TenantId
    bot_id: uuid.UUID
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


async def register(
    client: httpx.AsyncClient, business: str = "Peak Outfitters", email: str | None = None
) -> Merchant:
    email = email or unique_email()
    response = await client.post(
        "/v1/auth/register", json={"email": email, "password": PASSWORD, "business_name": business}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Merchant(
        email=email,
        user_id=uuid.UUID(body["user_id"]),
        tenant_id=TenantId(uuid.UUID(body["tenant_id"])),
        bot_id=uuid.UUID(body["bot_id"]),
        access_token=body["access_token"],
        refresh_token=body["refresh_token"],
    )


async def add_member(app: FastAPI, db: Database, tenant_id: TenantId, role: str) -> dict[str, str]:
    """A user with `role` in the business, signed in: returns their request headers."""
    runtime = app.state.shopbot_dashboard_runtime
    async with db.tenant_session(tenant_id) as session:
        user = await auth_repository.add_user(
            session, email=unique_email(role), password_hash=FAST_HASHER.hash(PASSWORD)
        )
        await auth_repository.add_membership(session, tenant_id, user.id, role)
        user_id = user.id
    token = runtime.tokens.issue(user_id=user_id, tenant_id=tenant_id, role=role)
    return {"Authorization": f"Bearer {token}", "X-User-Id": str(user_id)}
