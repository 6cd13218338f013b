"""The application wall: tenant sessions, and background work that requires a tenant."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from core.background.celery_app import run_in_tenant, tenant_id_from_task_argument, tenant_task
from core.db.database import Database
from core.db.rows import tenant_row
from core.errors import MissingTenant, NotFound
from core.ids import TenantId
from core.models import Bot, Tenant
from core.provisioning import provision_tenant


async def _bot_names(db: Database, tenant_id: TenantId) -> list[str]:
    async with db.tenant_session(tenant_id) as session:
        return list((await session.scalars(select(Bot.name))).all())


async def test_tenant_session_sees_only_its_tenant(db: Database) -> None:
    a = await provision_tenant(db, name="Alpha Outdoors", allowed_origins=["https://alpha.test"])
    b = await provision_tenant(db, name="Beta Books", allowed_origins=[])
    assert await _bot_names(db, a.tenant_id) == ["Alpha Outdoors assistant"]
    assert await _bot_names(db, b.tenant_id) == ["Beta Books assistant"]


async def test_tenant_survives_a_commit_inside_the_session(db: Database) -> None:
    a = await provision_tenant(db, name="Gamma", allowed_origins=[])
    async with db.tenant_session(a.tenant_id) as session:
        await session.commit()  # the next transaction must be scoped again
        assert await session.scalar(select(func.count()).select_from(Tenant)) == 1


async def test_system_session_sees_no_tenant_rows(db: Database) -> None:
    await provision_tenant(db, name="Delta", allowed_origins=[])
    async with db.system_session() as session:
        assert await session.scalar(select(func.count()).select_from(Bot)) == 0


async def test_origins_are_normalised_and_validated(db: Database) -> None:
    created = await provision_tenant(
        db, name="Eps", allowed_origins=["HTTPS://Shop.Eps.TEST/", "https://*.eps.test"]
    )
    async with db.tenant_session(created.tenant_id) as session:
        bot = await session.get(Bot, created.bot_id)
        assert bot is not None
        assert bot.allowed_origins == ["https://shop.eps.test", "https://*.eps.test"]


@pytest.mark.parametrize("missing", [None, "", "not-a-uuid"])
async def test_background_work_without_a_tenant_raises(db: Database, missing) -> None:
    async def job(db: Database, tenant_id: TenantId) -> str:
        return "ran"

    with pytest.raises(MissingTenant):
        await run_in_tenant(db, missing, job)
    with pytest.raises(MissingTenant):
        async with db.tenant_session(missing):
            pass


def test_celery_task_without_tenant_raises_before_any_work() -> None:
    calls: list[object] = []

    @tenant_task("tests.record")
    async def record(db: Database, tenant_id: TenantId) -> None:
        calls.append(tenant_id)

    with pytest.raises(MissingTenant):
        record()
    with pytest.raises(MissingTenant):
        record(tenant_id="nope")
    assert calls == []
    assert tenant_id_from_task_argument(str(uuid.UUID(int=7))) == uuid.UUID(int=7)


async def test_tenant_row_reads_only_the_tenants_own_row(db: Database) -> None:
    a = await provision_tenant(db, name="Zeta", allowed_origins=[])
    b = await provision_tenant(db, name="Eta", allowed_origins=[])
    async with db.tenant_session(a.tenant_id) as session:
        bot = await tenant_row(session, Bot, a.tenant_id, a.bot_id, missing="bot not found")
        assert bot.name == "Zeta assistant"
        with pytest.raises(NotFound, match="bot not found"):
            await tenant_row(session, Bot, a.tenant_id, b.bot_id, missing="bot not found")
        with pytest.raises(TypeError, match="not a tenant's table"):
            await tenant_row(session, Tenant, a.tenant_id, a.tenant_id, missing="no tenant")
