"""Creating (or finding again) the demo tenant, its dashboard owner, bot and store."""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import select, update

from cli.demo.store import DEMO_CONSUMER_KEY, DEMO_CONSUMER_SECRET
from core.db.database import Database
from core.ids import TenantId
from core.models import Bot, StoreConnection, Tenant
from core.outbound import policy_from_settings
from core.provisioning import provision_tenant
from core.runtime import Runtime
from dashboard_api.auth import repository as users
from dashboard_api.auth.passwords import Passwords
from ingestion.stores import register_store

# A reserved documentation domain (RFC 2606) that email validation accepts: `.test` is a
# special-use name the sign-in form refuses, so the printed credentials could not sign in.
DEMO_EMAIL = "owner@demo-outfitters.example.com"
SHIPPING_POLICY = (
    "Free standard shipping on orders over $75; otherwise $6.95. "
    "Orders ship within 2 business days."
)
RETURNS_POLICY = "Unworn items can be returned within 30 days for a full refund."


@dataclass
class DemoState:
    tenant_id: str
    bot_id: str
    store_id: str
    widget_key: str
    dashboard_email: str
    dashboard_password: str

    @classmethod
    def load(cls, path: Path) -> DemoState | None:
        try:
            raw = json.loads(path.read_text())
            return cls(**{k: raw[k] for k in cls.__dataclass_fields__})
        except (OSError, ValueError, KeyError, TypeError):
            return None


def write_demo_json(
    path: Path, state: DemoState, *, api_url: str, demo_page_url: str
) -> dict[str, str]:
    body = {
        "api_url": api_url,
        "demo_page_url": demo_page_url,
        # The merchant web app, served by the same server (sign in with the credentials below).
        "dashboard_url": f"{api_url.rstrip('/')}/app/",
        **asdict(state),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body, indent=2) + "\n")
    path.chmod(0o600)  # it holds the dashboard password
    return body


async def _still_there(db: Database, state: DemoState) -> bool:
    tenant_id = TenantId(uuid.UUID(state.tenant_id))
    async with db.tenant_session(tenant_id) as session:
        store = await session.get(StoreConnection, uuid.UUID(state.store_id))
        return store is not None and await session.get(Tenant, tenant_id) is not None


async def ensure_demo(
    runtime: Runtime, previous: DemoState | None, *, api_url: str, storefront_origins: list[str]
) -> tuple[DemoState, bool]:
    """The demo's tenant, reused from `previous` when the database still has it.
    Returns (state, created)."""
    db = runtime.db
    if previous is not None and await _still_there(db, previous):
        await _allow_origins(db, previous, storefront_origins)
        return previous, False

    created = await provision_tenant(db, name="Demo Outfitters", allowed_origins=storefront_origins)
    password = secrets.token_urlsafe(12)
    password_hash = await Passwords().hash(password)
    async with db.tenant_session(created.tenant_id) as session:
        await session.execute(
            update(Tenant)
            .where(Tenant.id == created.tenant_id)
            .values(
                website="https://demo-outfitters.example.com",
                support_email="help@demo-outfitters.example.com",
                shipping_policy=SHIPPING_POLICY,
                returns_policy=RETURNS_POLICY,
            )
        )
        user = await users.add_user(
            session, email=_unique_email(), password_hash=password_hash, verified=True
        )
        await users.add_membership(session, created.tenant_id, user.id, "owner")
        email = user.email
    store = await register_store(
        db,
        runtime.secrets.secret_box,
        created.tenant_id,
        url=f"{api_url}/demo-store",
        consumer_key=DEMO_CONSUMER_KEY,
        consumer_secret=DEMO_CONSUMER_SECRET,
        name="Demo Outfitters store",
        public_api_url=api_url,
        outbound=policy_from_settings(runtime.settings),
    )
    state = DemoState(
        tenant_id=str(created.tenant_id),
        bot_id=str(created.bot_id),
        store_id=str(store.store_id),
        widget_key=created.widget_key,
        dashboard_email=email,
        dashboard_password=password,
    )
    return state, True


def _unique_email() -> str:
    # A data dir may be reset while others are not; the suffix keeps emails unique per run.
    local, domain = DEMO_EMAIL.split("@")
    return f"{local}+{secrets.token_hex(3)}@{domain}"


async def _allow_origins(db: Database, state: DemoState, origins: list[str]) -> None:
    """A second run on another port must still be allowed to open the widget."""
    tenant_id = TenantId(uuid.UUID(state.tenant_id))
    async with db.tenant_session(tenant_id) as session:
        bot = await session.scalar(select(Bot).where(Bot.id == uuid.UUID(state.bot_id)))
        if bot is not None:
            bot.allowed_origins = sorted(set(bot.allowed_origins) | set(origins))
