"""`shopbot stores add` and `shopbot sync` as an operator meets them (real subprocesses,
the fake store over real HTTP, the real database and MiniLM)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL

from core.crypto import SecretBox
from core.db.database import Database
from emulators.catalog import generate_catalog
from tests.support.sync import (
    assert_parity,
    connect_store,
    indexed_state,
    jobs_of,
    new_tenant,
    outbound_env,
)
from tests.support.woo_store import FakeWooStore

SHOPBOT = [sys.executable, "-m", "cli.main"]


def _run(
    owner_url: URL, *args: str, reach: tuple[FakeWooStore, ...] = ()
) -> subprocess.CompletedProcess:
    """`shopbot ARGS`; `reach`: fakes the operator allowed through SHOPBOT_OUTBOUND_*."""
    env = {
        **os.environ,
        "COLUMNS": "200",
        "DATABASE_URL": owner_url.render_as_string(hide_password=False),
        **(outbound_env(*reach) if reach else {}),
    }
    return subprocess.run([*SHOPBOT, *args], capture_output=True, text=True, env=env, timeout=240)


def _one_error_line(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("shopbot: error:"), result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def small_store():
    with FakeWooStore(generate_catalog(30, seed=21)) as store:
        yield store


async def test_stores_add_and_sync_json(
    owner_url: URL, committed_db: Database, small_store: FakeWooStore
) -> None:
    tenant = await new_tenant(committed_db, "CLI")
    added = _run(
        owner_url,
        "stores",
        "add",
        "--tenant",
        str(tenant),
        "--url",
        small_store.url,
        "--key",
        small_store.consumer_key,
        "--secret",
        small_store.consumer_secret,
        "--json",
        reach=(small_store,),
    )
    assert added.returncode == 0, added.stderr
    body = json.loads(added.stdout)
    assert set(body) == {"store_id"}
    store_id = uuid.UUID(body["store_id"])

    synced = _run(
        owner_url, "sync", str(store_id), "--mode", "full", "--json", reach=(small_store,)
    )
    assert synced.returncode == 0, synced.stderr
    record = json.loads(synced.stdout)
    assert record["status"] == "succeeded" and record["mode"] == "full"
    assert record["counts"]["created"] == len(small_store.publicly_visible_ids())
    assert set(record["counts"]) == {
        "seen",
        "created",
        "updated",
        "unchanged",
        "deleted",
        "chunks_written",
        "errors",
    }
    await assert_parity(committed_db, tenant, store_id, small_store)

    plain = _run(
        owner_url,
        "stores",
        "add",
        "--tenant",
        str(tenant),
        "--url",
        small_store.url,
        "--key",
        small_store.consumer_key,
        "--secret",
        small_store.consumer_secret,
        reach=(small_store,),
    )
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.strip().splitlines()[-1] == str(
        store_id
    )  # reconnecting updates the same store


async def test_bad_credentials_and_non_woocommerce_sites_get_one_line(
    owner_url: URL, committed_db: Database, small_store: FakeWooStore
) -> None:
    tenant = await new_tenant(committed_db, "CLI errors")
    bad = _run(
        owner_url,
        "stores",
        "add",
        "--tenant",
        str(tenant),
        "--url",
        small_store.url,
        "--key",
        small_store.consumer_key,
        "--secret",
        "cs_not_the_secret",
        reach=(small_store,),
    )
    assert bad.returncode == 1
    assert "API keys" in _one_error_line(bad)

    with FakeWooStore(generate_catalog(3, seed=1), woocommerce_active=False) as plain_wordpress:
        not_woo = _run(
            owner_url,
            "stores",
            "add",
            "--tenant",
            str(tenant),
            "--url",
            plain_wordpress.url,
            "--key",
            "ck_x",
            "--secret",
            "cs_x",
            reach=(plain_wordpress,),
        )
    assert not_woo.returncode == 1
    assert "WooCommerce" in _one_error_line(not_woo)

    unknown = _run(owner_url, "sync", str(uuid.uuid4()), "--json")
    assert unknown.returncode == 1
    assert "no store" in _one_error_line(unknown)


async def test_a_killed_sync_is_taken_over_and_finished_without_duplicates(
    owner_url: URL, committed_db: Database, secret_box: SecretBox
) -> None:
    tenant = await new_tenant(committed_db, "CLI kill")
    with FakeWooStore(generate_catalog(60, seed=31)) as store:
        store_id = await connect_store(committed_db, secret_box, tenant, store)
        env = {
            **os.environ,
            "DATABASE_URL": owner_url.render_as_string(hide_password=False),
            **outbound_env(store),
        }
        victim = subprocess.Popen(
            [*SHOPBOT, "sync", str(store_id), "--mode", "full", "--json", "--per-page", "20"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                jobs = await jobs_of(committed_db, tenant, store_id)
                if jobs and jobs[0].processed >= 20:
                    break
                await asyncio.sleep(0.2)
            else:
                pytest.fail("the first page was never committed")
        finally:
            victim.kill()  # SIGKILL: no cleanup, no failure recorded
            victim.wait(timeout=30)
        [stale] = await jobs_of(committed_db, tenant, store_id)
        assert stale.status == "running" and 20 <= stale.processed < 60
        partial = await indexed_state(committed_db, tenant, store_id)
        assert partial and all(p["chunks"] >= 1 for p in partial.values())

        busy = _run(owner_url, "sync", str(store_id), "--json", reach=(store,))
        assert busy.returncode == 1 and "already running" in _one_error_line(busy)

        store.reset_request_log()
        rerun = _run(
            owner_url,
            "sync",
            str(store_id),
            "--mode",
            "full",
            "--json",
            "--per-page",
            "20",
            "--stale-minutes",
            "0",
            reach=(store,),
        )
        assert rerun.returncode == 0, rerun.stderr
        record = json.loads(rerun.stdout)
        assert record["id"] == str(stale.id) and record["status"] == "succeeded"
        pages = {
            int(r.query["page"])
            for r in store.requests
            if r.route == "/wc/v3/products" and "page" in r.query
        }
        assert 1 not in pages  # resumed after the last committed page
        await assert_parity(committed_db, tenant, store_id, store)
    async with committed_db.tenant_session(tenant) as session:
        duplicates = await session.scalar(
            text(
                "SELECT count(*) FROM (SELECT product_id, ordinal FROM chunks"
                " WHERE product_id IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1) d"
            )
        )
    assert duplicates == 0
