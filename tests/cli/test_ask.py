"""`shopbot ask` in a real subprocess against a seeded store in the test database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from sqlalchemy.engine import URL

from core.provisioning import provision_tenant
from engine.embeddings import shared_local_embedder
from tests.engine.test_retrieval import CATALOGUE
from tests.support.index import seed_store


@pytest.fixture
async def seeded_tenant(committed_db):
    tenant = await provision_tenant(committed_db, name="Ask CLI Outfitters", allowed_origins=[])
    await seed_store(committed_db, tenant.tenant_id, shared_local_embedder(), CATALOGUE)
    return tenant


def _ask(owner_url: URL, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": owner_url.render_as_string(hide_password=False), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "cli.main", "ask", *args], capture_output=True, text=True, env=env, timeout=180)


async def test_ask_json_prints_the_widget_chat_body(owner_url, seeded_tenant) -> None:
    result = _ask(owner_url, "--tenant", str(seeded_tenant.tenant_id), "--json", "do you have anything under $30?")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert set(body) == {"conversation_id", "message_id", "answer", "sources"}
    assert body["sources"] and all(Decimal(s["price"]) <= 30 for s in body["sources"])
    assert {"product_id", "external_id", "sku", "title", "url", "price", "currency", "in_stock", "snippet"} <= set(body["sources"][0])


async def test_ask_streams_text_with_sources_and_product_page(owner_url, seeded_tenant) -> None:
    result = _ask(owner_url, "--tenant", str(seeded_tenant.tenant_id), "--product-id", "1001", "is it good on rocks?")
    assert result.returncode == 0, result.stderr
    assert "Trail Running Shoes" in result.stdout
    assert "[1]" in result.stdout


def test_ask_rejects_bad_tenant_and_unknown_bot(owner_url) -> None:
    bad = _ask(owner_url, "--tenant", "not-a-uuid", "hello")
    assert bad.returncode == 1 and "--tenant must be a tenant id" in bad.stderr
    unknown = _ask(owner_url, "--tenant", "00000000-0000-0000-0000-000000000000", "hello")
    assert unknown.returncode == 1 and "no such tenant" in unknown.stderr
    assert "Traceback" not in bad.stderr + unknown.stderr
