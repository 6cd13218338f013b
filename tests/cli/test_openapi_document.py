"""`dashboard_web/openapi.json` (the web app's typed client is generated from it) is exactly
what `shopbot openapi` prints now, and printing it needs no database, Redis or network."""

from __future__ import annotations

import json
from pathlib import Path

from cli.openapi_command import REGENERATE
from tests.cli.serving import run_shopbot

COMMITTED = Path(__file__).resolve().parents[2] / "dashboard_web" / "openapi.json"


def test_the_committed_document_is_current(tmp_path: Path) -> None:
    # Nothing to connect to: no database URL, no Redis, an empty data dir; the embedded
    # server is never started (the data dir stays empty).
    env = {"DATABASE_URL": "", "REDIS_URL": "", "SHOPBOT_DATA_DIR": str(tmp_path / "data")}
    fresh = run_shopbot("openapi", env=env)
    assert fresh.returncode == 0, fresh.stderr
    assert not (tmp_path / "data").exists()
    assert COMMITTED.is_file(), f"dashboard_web/openapi.json is missing: run `{REGENERATE}`"
    assert fresh.stdout == COMMITTED.read_text(encoding="utf-8"), (
        f"dashboard_web/openapi.json is out of date: run `{REGENERATE}`"
    )
    again = run_shopbot("openapi", "--out", str(tmp_path / "again.json"), env=env)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again.json").read_text(encoding="utf-8") == fresh.stdout  # deterministic


def test_the_document_covers_the_merchant_api_only() -> None:
    document = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert document["paths"] and all(path.startswith("/v1/") for path in document["paths"])
    operations = {
        operation["operationId"]
        for path in document["paths"].values()
        for operation in path.values()
    }
    assert {
        "auth_login",
        "auth_session_refresh",
        "auth_session_logout",
        "analytics_daily",
        "analytics_top_questions",
        "analytics_top_products",
    } <= operations
