"""`shopbot stores add` and `shopbot sync` as an operator meets them (real subprocesses,
the fake store over real HTTP, the real database and MiniLM)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
from sqlalchemy.engine import URL

from core.db.database import Database
from tests.fakes.catalog import generate_catalog
from tests.fakes.woocommerce import FakeWooStore
from tests.ingestion.test_sync_support import assert_parity, new_tenant

# This module doubles as the entry point, so the commands run even before cli.main mounts them.
SHOPBOT = [sys.executable, "-m", "tests.cli.test_store_sync_cli"]


def _run(owner_url: URL, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "DATABASE_URL": owner_url.render_as_string(hide_password=False)}
    return subprocess.run([*SHOPBOT, *args], capture_output=True, text=True, env=env, timeout=240)


def _one_error_line(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("shopbot: error:"), result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def small_store():  # noqa: ANN201
    with FakeWooStore(generate_catalog(30, seed=21)) as store:
        yield store


async def test_stores_add_and_sync_json(owner_url: URL, committed_db: Database, small_store: FakeWooStore) -> None:
    tenant = await new_tenant(committed_db, "CLI")
    added = _run(owner_url, "stores", "add", "--tenant", str(tenant), "--url", small_store.url,
                 "--key", small_store.consumer_key, "--secret", small_store.consumer_secret, "--json")
    assert added.returncode == 0, added.stderr
    body = json.loads(added.stdout)
    assert set(body) == {"store_id"}
    store_id = uuid.UUID(body["store_id"])

    synced = _run(owner_url, "sync", str(store_id), "--mode", "full", "--json")
    assert synced.returncode == 0, synced.stderr
    record = json.loads(synced.stdout)
    assert record["status"] == "succeeded" and record["mode"] == "full"
    assert record["counts"]["created"] == len(small_store.publicly_visible_ids())
    assert set(record["counts"]) == {"seen", "created", "updated", "unchanged", "deleted", "chunks_written", "errors"}
    await assert_parity(committed_db, tenant, store_id, small_store)

    plain = _run(owner_url, "stores", "add", "--tenant", str(tenant), "--url", small_store.url,
                 "--key", small_store.consumer_key, "--secret", small_store.consumer_secret)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.strip().splitlines()[-1] == str(store_id)  # reconnecting updates the same store


async def test_bad_credentials_and_non_woocommerce_sites_get_one_line(
    owner_url: URL, committed_db: Database, small_store: FakeWooStore
) -> None:
    tenant = await new_tenant(committed_db, "CLI errors")
    bad = _run(owner_url, "stores", "add", "--tenant", str(tenant), "--url", small_store.url,
               "--key", small_store.consumer_key, "--secret", "cs_not_the_secret")
    assert bad.returncode == 1
    assert "API keys" in _one_error_line(bad)

    with FakeWooStore(generate_catalog(3, seed=1), woocommerce_active=False) as plain_wordpress:
        not_woo = _run(owner_url, "stores", "add", "--tenant", str(tenant), "--url", plain_wordpress.url,
                       "--key", "ck_x", "--secret", "cs_x")
    assert not_woo.returncode == 1
    assert "WooCommerce" in _one_error_line(not_woo)

    unknown = _run(owner_url, "sync", str(uuid.uuid4()), "--json")
    assert unknown.returncode == 1
    assert "no store" in _one_error_line(unknown)


def main() -> None:
    from cli import main as shopbot
    from cli import store_commands, sync_commands

    groups = {group.name for group in shopbot.app.registered_groups}
    commands = {command.name for command in shopbot.app.registered_commands}
    if "stores" not in groups:
        shopbot.app.add_typer(store_commands.app, name="stores")
    if "sync" not in commands:
        shopbot.app.command("sync")(sync_commands.sync)
    shopbot.run()


if __name__ == "__main__":
    main()
