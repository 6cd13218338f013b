"""The merchant web app at `/app/`, served by the process's one app (`cli.asgi.build_app`)
from the export directory SHOPBOT_DASHBOARD_DIR names: redirects that keep the query
string, pages, files, the export's 404, traversal, headers, and the 503 when not built."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import URL

from cli.asgi import REPOSITORY_ROOT, build_app, web_app_directory
from cli.services import Services
from core.crypto import SecretBox
from core.db.config import DatabaseUrls
from core.runtime import Runtime
from core.secrets import ProcessSecrets
from core.settings import get_settings
from dashboard_api.web_app import BUILD_COMMAND, CONTENT_SECURITY_POLICY
from engine.answer import AnswerService
from tests.dashboard_api.support import HashingEmbedder

CHUNK = "_next/static/chunks/app-3f9a.js"


def composed_with_export(db, app_url: URL, export: Path) -> FastAPI:
    settings = get_settings().model_copy(
        update={"public_api_url": "http://api.test", "dashboard_dir": export}
    )
    assert settings.secret_key is not None and settings.encryption_keys is not None
    runtime = Runtime(
        settings=settings,
        urls=DatabaseUrls(owner=app_url, app=app_url, embedded=False),
        db=db,
        secrets=ProcessSecrets(
            signing_key=settings.secret_key.get_secret_value(),
            secret_box=SecretBox.from_setting(settings.encryption_keys.get_secret_value()),
        ),
    )
    embedder = HashingEmbedder()
    services = Services(embedder=embedder, redis=None, answer_service=AnswerService(db, embedder))
    return build_app(runtime, services)


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("198.51.100.7", 40000)),
        base_url="http://api.test",
    )


@pytest.fixture
def export(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    (out / "verify-email").mkdir(parents=True)
    (out / "_next/static/chunks").mkdir(parents=True)
    (out / "index.html").write_text("<html>home</html>")
    (out / "404.html").write_text("<html>our 404</html>")
    (out / "verify-email/index.html").write_text("<html>verify</html>")
    (out / CHUNK).write_text("console.log('app')")
    (out / "favicon.ico").write_bytes(b"\x00\x00\x01\x00")
    (tmp_path / "secret.txt").write_text("outside the export")
    return out


def assert_security_headers(response: httpx.Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


async def test_pages_redirects_and_files(db, app_url: URL, export: Path) -> None:
    async with client(composed_with_export(db, app_url, export)) as http:
        root = await http.get("/app")
        assert root.status_code == 308 and root.headers["location"] == "/app/"
        assert_security_headers(root)

        home = await http.get("/app/")
        assert home.status_code == 200 and home.text == "<html>home</html>"
        assert home.headers["content-type"] == "text/html; charset=utf-8"
        assert home.headers["cache-control"] == "no-cache"
        assert_security_headers(home)

        emailed = await http.get("/app/verify-email?token=abc-123_x&next=%2Fapp%2F")
        assert emailed.status_code == 308
        assert emailed.headers["location"] == "/app/verify-email/?token=abc-123_x&next=%2Fapp%2F"
        assert_security_headers(emailed)
        page = await http.get("/app/verify-email/?token=abc-123_x")
        assert page.status_code == 200 and page.text == "<html>verify</html>"
        assert page.headers["cache-control"] == "no-cache"

        chunk = await http.get(f"/app/{CHUNK}")
        assert chunk.status_code == 200 and chunk.text == "console.log('app')"
        assert chunk.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert chunk.headers["content-type"].startswith("text/javascript")
        assert_security_headers(chunk)

        icon = await http.get("/app/favicon.ico")
        assert icon.status_code == 200 and icon.headers["cache-control"] == "no-cache"
        head = await http.head("/app/")
        assert head.status_code == 200 and head.content == b""
        post = await http.post("/app/")
        assert post.status_code == 405


async def test_unknown_paths_and_traversal_get_the_exports_404(
    db, app_url: URL, export: Path
) -> None:
    async with client(composed_with_export(db, app_url, export)) as http:
        for path in (
            "/app/nowhere",
            "/app/nowhere/",
            "/app/verify-email/missing.js",
            "/app/%2e%2e/secret.txt",
            "/app/verify-email/%2e%2e/%2e%2e/secret.txt",
            "/app/..%2fsecret.txt",
            "/app//secret.txt",
            "/app/%5c..%5csecret.txt",
        ):
            # Percent-encoded, so the client sends them as they are (it would resolve a literal
            # "/../"); the server decodes them into ".." segments.
            response = await http.get(path)
            assert response.status_code == 404, path
            assert response.text == "<html>our 404</html>", path
            assert response.headers["content-type"] == "text/html; charset=utf-8"
            assert_security_headers(response)
            assert "outside the export" not in response.text


async def test_not_built_answers_503_with_the_build_command(db, app_url: URL, tmp_path) -> None:
    async with client(composed_with_export(db, app_url, tmp_path / "missing")) as http:
        response = await http.get("/app/")
        assert response.status_code == 503
        assert BUILD_COMMAND in response.text
        assert "npm --prefix dashboard_web ci && npm --prefix dashboard_web run build" in (
            response.text.replace("&amp;", "&")
        )
        assert_security_headers(response)
        # The API is unaffected, and its own 404s stay problem+json.
        assert (await http.get("/healthz")).status_code == 200
        unknown = await http.get("/v1/nothing-here")
        assert unknown.status_code == 404
        assert unknown.headers["content-type"].startswith("application/problem+json")


async def test_widget_cors_does_not_touch_the_app(db, app_url: URL, export: Path) -> None:
    async with client(composed_with_export(db, app_url, export)) as http:
        response = await http.get("/app/", headers={"Origin": "https://shop.example"})
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers


def test_the_export_directory_defaults_to_the_repository() -> None:
    settings = get_settings().model_copy(update={"dashboard_dir": None})
    assert web_app_directory(settings) == REPOSITORY_ROOT / "dashboard_web" / "out"
    assert (REPOSITORY_ROOT / "cli" / "asgi.py").is_file()
