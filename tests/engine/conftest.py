"""Fixtures the engine tests share: `embedder`, the process's real MiniLM embedder, and
`shop`, a tenant with the seeded catalogue indexed by it (modules that need another shop
define their own)."""

from __future__ import annotations

import pytest

from core.provisioning import provision_tenant
from engine.embeddings import shared_local_embedder
from tests.engine.support import CATALOGUE
from tests.support.index import seed_store


@pytest.fixture(scope="session")
def embedder():
    return shared_local_embedder()


@pytest.fixture
async def shop(db):
    tenant = await provision_tenant(db, name="Peak Outfitters", allowed_origins=[])
    ids = await seed_store(db, tenant.tenant_id, shared_local_embedder(), CATALOGUE)
    return tenant, ids
