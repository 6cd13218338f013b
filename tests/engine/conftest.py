"""Fixtures the engine's answer tests share: a provisioned shop with the test catalogue
indexed, and the fake OpenAI server (emulators.openai)."""

from __future__ import annotations

import pytest

from core.provisioning import provision_tenant
from emulators.openai import fake_openai, fake_openai_server
from engine.embeddings import shared_local_embedder
from tests.engine.test_retrieval import CATALOGUE
from tests.support.index import seed_store

__all__ = ["fake_openai", "fake_openai_server"]  # fixtures, found by name


@pytest.fixture
async def shop(db):
    tenant = await provision_tenant(db, name="Peak Outfitters", allowed_origins=[])
    ids = await seed_store(db, tenant.tenant_id, shared_local_embedder(), CATALOGUE)
    return tenant, ids
