"""`SHOPBOT_ENV=production`: serve, worker, beat and the ASGI app refuse to start, one line
per missing setting, until secrets, public URLs and email are explicit; keys are never
generated into the data dir there. Outside production, an external database without
explicit keys gets a loud warning."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy.engine import URL

from cli.asgi import build_app
from cli.services import Services
from core.crypto import SecretBox, generate_key
from core.db.config import DatabaseUrls
from core.db.database import Database
from core.deployment import ProductionNotReady, production_problems
from core.runtime import Runtime
from core.secrets import ProcessSecrets
from core.settings import Settings
from engine.answer import AnswerService
from tests.cli.serving import free_port, run_shopbot, serving
from tests.dashboard_api.support import HashingEmbedder

PRODUCTION = {
    "SHOPBOT_ENV": "production",
    "SHOPBOT_SECRET_KEY": "production-signing-key-" + "p" * 32,
    "SHOPBOT_ENCRYPTION_KEYS": generate_key(),
    "SHOPBOT_PUBLIC_API_URL": "https://api.shop.example",
    "SHOPBOT_DASHBOARD_URL": "https://app.shop.example",
    "SHOPBOT_SMTP_HOST": "smtp.shop.example",
}

# The variable left out, and the start of the one line that names it.
MISSING = [
    ("SHOPBOT_SECRET_KEY", "production: SHOPBOT_SECRET_KEY is not set"),
    ("SHOPBOT_ENCRYPTION_KEYS", "production: SHOPBOT_ENCRYPTION_KEYS is not set"),
    ("SHOPBOT_PUBLIC_API_URL", "production: SHOPBOT_PUBLIC_API_URL is not set"),
    ("SHOPBOT_DASHBOARD_URL", "production: SHOPBOT_DASHBOARD_URL is not set"),
    ("SHOPBOT_SMTP_HOST", "production: email is not configured"),
]


def _url(owner_url: URL) -> str:
    return owner_url.render_as_string(hide_password=False)


def _error_lines(stderr: str) -> list[str]:
    return [line.removeprefix("shopbot: error: ") for line in stderr.splitlines() if line.strip()]


@pytest.mark.parametrize(("variable", "line"), MISSING, ids=[m[0] for m in MISSING])
def test_serve_in_production_refuses_to_start_naming_the_missing_setting(
    variable: str, line: str, owner_url: URL, tmp_path: Path
) -> None:
    env = {
        **PRODUCTION,
        variable: "",
        "DATABASE_URL": _url(owner_url),
        "SHOPBOT_DATA_DIR": str(tmp_path),
    }
    result = run_shopbot("serve", "--port", str(free_port()), env=env, timeout=60)

    assert result.returncode == 1
    lines = _error_lines(result.stderr)
    assert len(lines) == 1 and lines[0].startswith(line), result.stderr
    assert not (tmp_path / "secrets.json").exists()  # nothing generated to make up for it


@pytest.mark.parametrize("command", ["worker", "beat"])
def test_worker_and_beat_in_production_print_one_line_per_missing_setting(
    command: str, tmp_path: Path
) -> None:
    env = {
        **PRODUCTION,
        "SHOPBOT_ENCRYPTION_KEYS": "",
        "SHOPBOT_DASHBOARD_URL": "",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "SHOPBOT_DATA_DIR": str(tmp_path),
    }
    result = run_shopbot(command, env=env, timeout=60)

    assert result.returncode == 1
    lines = _error_lines(result.stderr)
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("production: SHOPBOT_ENCRYPTION_KEYS is not set")
    assert lines[1].startswith("production: SHOPBOT_DASHBOARD_URL is not set")


def test_serve_in_production_starts_with_every_setting_and_generates_nothing(
    owner_url: URL, tmp_path: Path
) -> None:
    env = {**PRODUCTION, "DATABASE_URL": _url(owner_url), "SHOPBOT_DATA_DIR": str(tmp_path)}
    with serving(env, port=free_port()) as base:
        assert httpx.get(f"{base}/openapi.json", timeout=10).status_code == 200
    assert not (tmp_path / "secrets.json").exists()


def test_explicitly_chosen_log_email_satisfies_production_and_an_unset_backend_does_not() -> None:
    complete = Settings(**_settings_fields(PRODUCTION))
    assert production_problems(complete) == []
    without_host = complete.model_copy(update={"smtp_host": None})
    assert [p for p in production_problems(without_host) if p.startswith("email")]
    assert production_problems(without_host.model_copy(update={"email_backend": "log"})) == []


def test_production_refuses_a_mail_login_in_clear_text() -> None:
    complete = Settings(**_settings_fields(PRODUCTION))
    plain = complete.model_copy(
        update={"smtp_security": "none", "smtp_password": SecretStr("mail-pw")}
    )
    [problem] = production_problems(plain)
    assert problem.startswith("SHOPBOT_SMTP_SECURITY=none with SHOPBOT_SMTP_PASSWORD")
    assert "mail-pw" not in problem
    # No login to protect (a relay on a private network), or TLS: fine.
    assert production_problems(plain.model_copy(update={"smtp_password": None})) == []
    assert production_problems(plain.model_copy(update={"smtp_security": "tls"})) == []


def test_production_refuses_hosts_exempt_from_the_outbound_address_check() -> None:
    """An allowed host skips the SSRF address check: a development convenience, never production."""
    complete = Settings(**_settings_fields(PRODUCTION))
    exempt = complete.model_copy(update={"outbound_allowed_hosts": "127.0.0.1"})
    [problem] = production_problems(exempt)
    assert problem.startswith("SHOPBOT_OUTBOUND_ALLOWED_HOSTS must be empty in production")
    assert production_problems(complete.model_copy(update={"outbound_allowed_hosts": " , "})) == []


def _settings_fields(env: Mapping[str, str | None]) -> dict[str, Any]:
    """Settings' keyword arguments for environment variables (pydantic parses the text)."""
    return {name.removeprefix("SHOPBOT_").lower(): value for name, value in env.items()}


def _runtime(settings: Settings, db: Database, app_url: URL) -> Runtime:
    secrets = ProcessSecrets(
        signing_key=settings.secret_key.get_secret_value() if settings.secret_key else "x" * 40,
        secret_box=SecretBox.from_setting(generate_key()),
    )
    urls = DatabaseUrls(owner=app_url, app=app_url, embedded=False)
    return Runtime(settings=settings, urls=urls, db=db, secrets=secrets)


async def test_the_asgi_app_factory_refuses_production_settings_with_a_gap(
    db: Database, app_url: URL
) -> None:
    embedder = HashingEmbedder()
    services = Services(embedder=embedder, redis=None, answer_service=AnswerService(db, embedder))
    gap = Settings(
        **_settings_fields(
            {**PRODUCTION, "SHOPBOT_PUBLIC_API_URL": None, "SHOPBOT_SMTP_HOST": None}
        )
    )
    with pytest.raises(ProductionNotReady) as refused:
        build_app(_runtime(gap, db, app_url), services)
    assert [p.split(" ")[0] for p in refused.value.problems] == ["SHOPBOT_PUBLIC_API_URL", "email"]

    complete = Settings(**_settings_fields(PRODUCTION))
    app = build_app(_runtime(complete, db, app_url), services)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://api.shop.example"
    ) as client:
        assert (await client.get("/healthz")).status_code == 200


def test_a_production_cli_command_never_generates_keys_into_the_data_dir(
    owner_url: URL, tmp_path: Path
) -> None:
    env = {
        "SHOPBOT_ENV": "production",
        "SHOPBOT_SECRET_KEY": "",
        "SHOPBOT_ENCRYPTION_KEYS": "",
        "DATABASE_URL": _url(owner_url),
        "SHOPBOT_DATA_DIR": str(tmp_path),
    }
    result = run_shopbot("tenants", "create", "--name", "Production gap", env=env)

    assert result.returncode == 1
    lines = _error_lines(result.stderr)
    assert len(lines) == 1 and "SHOPBOT_SECRET_KEY and SHOPBOT_ENCRYPTION_KEYS" in lines[0], (
        result.stderr
    )
    assert not (tmp_path / "secrets.json").exists()


def test_development_with_an_external_database_and_generated_keys_warns_loudly(
    owner_url: URL, tmp_path: Path
) -> None:
    env = {
        "SHOPBOT_SECRET_KEY": "",
        "SHOPBOT_ENCRYPTION_KEYS": "",
        "DATABASE_URL": _url(owner_url),
        "SHOPBOT_DATA_DIR": str(tmp_path),
    }
    result = run_shopbot("tenants", "create", "--name", "Warned", env=env)

    assert result.returncode == 0, result.stderr
    assert "DATABASE_URL points at an external database" in result.stderr
    assert "SHOPBOT_SECRET_KEY" in result.stderr and "replica" in result.stderr
    assert (tmp_path / "secrets.json").exists()  # development keeps working, warned
