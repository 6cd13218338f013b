"""The analytics bench's world: the merchant API and widget API apps (the real routers,
error handlers and guards, in this process), a merchant registered through the API, the
store's two bots and the second, small tenant, and the load of both tenants' year."""

from __future__ import annotations

import os
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text

from bench.analytics_data import ORIGIN, Loaded, LoadSpec, load_tenant
from bench.analytics_hooks import as_tenant
from bench.widget_setup import BENCH_PLAN, BENCH_RATE_LIMITS

ZONE = "Europe/Berlin"
DASHBOARD_URL = "http://dashboard.bench.test"
PASSWORD = "analytics bench password"


def configure_process() -> None:
    """Secrets for this run only (the apps refuse to start without them), no Redis, no
    model keys, the bundled embedding model offline. Before any settings are read."""
    from core.crypto import generate_key
    from core.settings import get_settings

    for name in ("DATABASE_URL", "REDIS_URL", "SHOPBOT_REDIS_URL", "SENTRY_DSN", "OPENAI_API_KEY"):
        os.environ.pop(name, None)
    os.environ["SHOPBOT_SECRET_KEY"] = secrets.token_urlsafe(48)
    os.environ["SHOPBOT_ENCRYPTION_KEYS"] = generate_key()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    get_settings.cache_clear()


def dashboard_app(db: Any) -> Any:
    from argon2 import PasswordHasher
    from fastapi import FastAPI

    from core.crypto import SecretBox
    from core.email import LoggingEmailSender
    from core.settings import get_settings
    from dashboard_api.dependencies import DashboardDependencies
    from dashboard_api.routes import include_dashboard_api
    from web.errors import install_error_handlers
    from web.guards import install_request_guards

    # Links in emails would point here; the bench sends none that anyone reads.
    settings = get_settings().model_copy(update={"public_api_url": DASHBOARD_URL})
    assert settings.secret_key is not None and settings.encryption_keys is not None
    app = FastAPI(title="Shopbot merchant API (analytics bench)")
    install_error_handlers(app)
    install_request_guards(app)
    include_dashboard_api(
        app,
        DashboardDependencies(
            db=db,
            settings=settings,
            signing_key=settings.secret_key.get_secret_value(),
            secret_box=SecretBox.from_setting(settings.encryption_keys.get_secret_value()),
            redis=None,
            answer_service=None,
            email_sender=LoggingEmailSender(),
            # One registration: the password's work factor is not what is measured.
            password_hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
        ),
    )
    return app


def widget_app(db: Any) -> Any:
    from fastapi import FastAPI

    from api.app import include_widget_api
    from api.dependencies import ApiDependencies
    from core.settings import get_settings
    from engine.answer import AnswerService
    from engine.embeddings import shared_local_embedder
    from engine.retrieval.query_cache import QueryEmbeddingCache

    settings = get_settings()
    assert settings.secret_key is not None
    app = FastAPI(title="Shopbot widget API (analytics bench)")
    service = AnswerService(db, shared_local_embedder(), cache=QueryEmbeddingCache(None))
    include_widget_api(
        app,
        ApiDependencies(
            db=db,
            settings=settings,
            signing_key=settings.secret_key.get_secret_value(),
            redis=None,
            answer_service=service,
        ),
        with_health=False,
    )
    return app


def asgi_client(app: Any, base_url: str) -> Any:
    import httpx

    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
    return httpx.AsyncClient(transport=transport, base_url=base_url, timeout=600)


@dataclass
class Merchant:
    user_id: Any
    tenant_id: Any
    bot_id: Any
    second_bot_id: Any
    app: Any

    def headers(self) -> dict[str, str]:
        """A fresh access token (they live 15 minutes; a full run is longer)."""
        runtime = self.app.state.shopbot_dashboard_runtime
        token = runtime.tokens.issue(user_id=self.user_id, tenant_id=self.tenant_id, role="owner")
        return {"Authorization": f"Bearer {token}"}


async def register_merchant(client: Any, app: Any, owner: Any, db: Any) -> Merchant:
    """The store's owner signs up through the API and sets the business's time zone there;
    the second bot, the bots' widget settings (offline answerer, the bench's origin, limits
    out of reach) and the bench plan are written directly (the Free plan allows one bot)."""
    from core.billing.plan_changes import set_plan_manually
    from core.billing.plans import offered_plan
    from core.ids import TenantId

    body = {"email": "owner@analytics.bench", "password": PASSWORD, "business_name": "Bench Alps"}
    registered = await client.post("/v1/auth/register", json=body)
    registered.raise_for_status()
    account = registered.json()
    merchant = Merchant(
        uuid.UUID(account["user_id"]),
        TenantId(uuid.UUID(account["tenant_id"])),
        uuid.UUID(account["bot_id"]),
        None,
        app,
    )
    zone = await client.patch("/v1/business", json={"timezone": ZONE}, headers=merchant.headers())
    zone.raise_for_status()
    with owner.begin() as connection:
        as_tenant(connection, merchant.tenant_id)
        merchant.second_bot_id = connection.execute(
            text(
                "INSERT INTO bots (id, tenant_id, name, widget_key, allowed_origins) "
                "VALUES (gen_random_uuid(), :t, 'Bench Alps outlet assistant', :key, '{}') "
                "RETURNING id"
            ),
            {"t": merchant.tenant_id, "key": secrets.token_urlsafe(24)},
        ).scalar_one()
        connection.execute(
            text(
                "UPDATE bots SET allowed_origins = ARRAY[:origin], rate_limits = CAST(:limits "
                'AS jsonb), llm_settings = \'{"provider": "offline"}\' WHERE tenant_id = :t'
            ),
            {"origin": ORIGIN, "limits": _json(BENCH_RATE_LIMITS), "t": merchant.tenant_id},
        )
    async with db.tenant_session(merchant.tenant_id) as session:
        await set_plan_manually(
            session, merchant.tenant_id, await offered_plan(session, BENCH_PLAN)
        )
    return merchant


def _json(value: Any) -> str:
    import json

    return json.dumps(value)


async def other_tenant(db: Any) -> Any:
    from core.provisioning import provision_tenant

    return await provision_tenant(db, name="Bench Beach", allowed_origins=[ORIGIN])


def load(owner: Any, specs: list[LoadSpec]) -> tuple[list[Loaded], float]:
    """Each tenant in one transaction of its own; then VACUUM (ANALYZE) of the tables the
    analytics read, as autovacuum would have done on a store's live year (its seconds)."""
    loaded = []
    for spec in specs:
        with owner.begin() as connection:
            loaded.append(load_tenant(connection, spec))
    began = time.perf_counter()
    with owner.connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        for table in ("conversations", "messages", "feedback", "widget_events", "products"):
            autocommit.execute(text(f"VACUUM (ANALYZE) {table}"))
    return loaded, time.perf_counter() - began


# An experiment (`--time-indexes`), not the schema: the issue allows "indexes that measure
# as fast" instead of rollups; this says how far indexes on the tenant's time go.
TIME_INDEXES = ("conversations", "messages", "feedback", "widget_events")


def add_time_indexes(owner: Any) -> float:
    began = time.perf_counter()
    with owner.begin() as connection:
        for table in TIME_INDEXES:
            connection.execute(
                text(f"CREATE INDEX bench_{table}_tenant_time ON {table} (tenant_id, created_at)")
            )
            connection.execute(text(f"ANALYZE {table}"))
    return time.perf_counter() - began


def table_sizes(owner: Any) -> dict[str, str]:
    with owner.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class "
                "WHERE relname IN ('conversations', 'messages', 'feedback', 'widget_events') "
                "ORDER BY 1"
            )
        ).all()
    return {name: size for name, size in rows}


def yesterday(zone: str = ZONE) -> date:
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    return datetime.now(UTC).astimezone(ZoneInfo(zone)).date() - timedelta(days=1)
