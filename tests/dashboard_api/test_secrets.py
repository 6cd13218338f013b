"""No plaintext secret anywhere: every text, bytea and JSON column of every table (read as
the schema owner, past RLS) and every captured log record are searched for the store's
consumer secret, its webhook secret, an API key, a password and a refresh token."""

from __future__ import annotations

import logging
import secrets

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from emulators.catalog import generate_catalog
from tests.dashboard_api.harness import PASSWORD, build_app, client_for, register
from tests.support.woo_store import FakeWooStore

_COLUMNS = text("""
    SELECT table_name, column_name, data_type FROM information_schema.columns
    WHERE table_schema = 'public'
      AND data_type IN (
        'text', 'character varying', 'character', 'bytea', 'json', 'jsonb', 'ARRAY', 'inet'
      )
    ORDER BY table_name, ordinal_position
""")


async def _database_text(owner_url) -> str:
    engine = create_async_engine(owner_url)
    try:
        async with engine.connect() as connection:
            columns = (await connection.execute(_COLUMNS)).all()
            dump: list[str] = []
            for table, column, data_type in columns:
                value = (
                    f"encode(\"{column}\", 'escape')"
                    if data_type == "bytea"
                    else f'"{column}"::text'
                )
                rows = await connection.execute(text(f'SELECT {value} FROM "{table}"'))
                dump.extend(str(r[0]) for r in rows.all() if r[0] is not None)
    finally:
        await engine.dispose()
    assert len(dump) > 50, "the dump looks empty"
    return "\n".join(dump)


async def test_no_plaintext_secret_in_the_database_or_the_logs(
    committed_db, owner_url, redis, caplog
) -> None:
    consumer_secret = "cs_" + secrets.token_hex(20)
    webhook_secret = "whsec_" + secrets.token_hex(16)
    caplog.set_level(logging.DEBUG)
    with FakeWooStore(
        generate_catalog(3, seed=2),
        consumer_key="ck_" + secrets.token_hex(8),
        consumer_secret=consumer_secret,
    ) as woo:
        app = build_app(committed_db, redis=redis, outbound_policy=woo.outbound_policy)
        async with client_for(app) as client:
            merchant = await register(client, "Secret Keeper")
            connected = await client.post(
                "/v1/stores",
                headers=merchant.headers,
                json={
                    "url": woo.url,
                    "consumer_key": woo.consumer_key,
                    "consumer_secret": consumer_secret,
                    "webhook_secret": webhook_secret,
                },
            )
            assert connected.status_code == 201, connected.text
            store_id = connected.json()["id"]
            assert (
                await client.post(f"/v1/stores/{store_id}/test", headers=merchant.headers)
            ).json()["ok"]
            failed = await client.post(
                f"/v1/stores/{store_id}/credentials",
                headers=merchant.headers,
                json={"consumer_key": woo.consumer_key, "consumer_secret": consumer_secret + "x"},
            )
            assert failed.status_code == 400
            key = await client.post(
                "/v1/api-keys", headers=merchant.headers, json={"name": "k", "scopes": ["read"]}
            )
            api_secret = key.json()["secret"]
            assert (
                await client.get("/v1/bots", headers={"Authorization": f"Bearer {api_secret}"})
            ).status_code == 200
            await client.post(
                "/v1/auth/login", json={"email": merchant.email, "password": PASSWORD + "!"}
            )
            for response in (connected, failed):
                assert consumer_secret not in response.text and webhook_secret not in response.text

    plaintexts = {
        "consumer secret": consumer_secret,
        "webhook secret": webhook_secret,
        "API key": api_secret,
        "password": PASSWORD,
        "refresh token": merchant.refresh_token,
    }
    dump = await _database_text(owner_url)
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")  # with tracebacks
    logs = "\n".join(formatter.format(r) for r in caplog.records)
    assert logs, "nothing was captured from the logs"
    for label, value in plaintexts.items():
        assert value not in dump, f"{label} found in the database"
        assert value not in logs, f"{label} found in the logs"
    assert consumer_secret + "x" not in logs
