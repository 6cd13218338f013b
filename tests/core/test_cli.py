"""The `shopbot` command as an operator meets it (real subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psutil
from sqlalchemy.engine import URL

SHOPBOT = [sys.executable, "-m", "cli.main"]


def _run(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run(
        [*SHOPBOT, *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=120
    )


def _url_env(owner_url: URL) -> dict[str, str]:
    return {"DATABASE_URL": owner_url.render_as_string(hide_password=False)}


def test_help_lists_the_commands() -> None:
    result = _run("--help")
    assert result.returncode == 0
    for command in ("db", "tenants"):
        assert command in result.stdout


def test_bad_arguments_get_one_line_and_no_traceback() -> None:
    for args in (
        ["tenants", "create"],
        ["tenants", "create", "--name", "x", "--bogus"],
        ["nonsense"],
    ):
        result = _run(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("shopbot: error:"), result.stderr


def test_invalid_origin_is_a_clear_error(owner_url: URL) -> None:
    result = _run(
        "tenants",
        "create",
        "--name",
        "Bad",
        "--allowed-origin",
        "ftp://x/y",
        env=_url_env(owner_url),
    )
    assert result.returncode == 1
    assert "allowed origin 'ftp://x/y'" in result.stderr
    assert "Traceback" not in result.stderr


def test_tenants_create_prints_the_id_last_and_json(owner_url: URL) -> None:
    plain = _run("tenants", "create", "--name", "CLI Plain", env=_url_env(owner_url))
    assert plain.returncode == 0, plain.stderr
    assert uuid.UUID(plain.stdout.strip().splitlines()[-1])

    as_json = _run(
        "tenants",
        "create",
        "--name",
        "CLI Json",
        "--allowed-origin",
        "https://shop.cli.test",
        "--json",
        env=_url_env(owner_url),
    )
    assert as_json.returncode == 0, as_json.stderr
    body = json.loads(as_json.stdout)
    assert set(body) == {"tenant_id", "bot_id", "widget_key"}
    assert body["widget_key"].startswith("wk_")
    uuid.UUID(body["tenant_id"])


def _servers_for(data_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info.get("cmdline") or []
        if any(str(data_dir) in part for part in cmdline) and any(
            "postgres" in p for p in cmdline[:1]
        ):
            found.append(proc)
    return found


def test_db_upgrade_on_the_embedded_server_is_idempotent(tmp_path: Path) -> None:
    env = {"DATABASE_URL": ""}
    first = _run("db", "upgrade", "--data-dir", str(tmp_path), env=env)
    assert first.returncode == 0, first.stderr
    assert "migrated from empty to" in first.stdout
    second = _run("db", "upgrade", "--data-dir", str(tmp_path), env=env)
    assert second.returncode == 0, second.stderr
    assert "nothing to do" in second.stdout
    assert (tmp_path / "pg" / "PG_VERSION").exists()
    # cleanup_mode='stop': the server ends with the command that started it.
    assert _servers_for(tmp_path / "pg") == []
