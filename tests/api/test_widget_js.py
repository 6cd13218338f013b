"""GET /widget.js: ETag, 304, compression, cache lifetimes; 503 until it is built."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import httpx

from api.app import create_app
from api.dependencies import DEFAULT_WIDGET_JS_PATH
from core.db.database import Database
from tests.api.harness import assert_problem, client_for, make_deps

IDENTITY = {"Accept-Encoding": "identity"}


async def test_serves_the_file_with_a_strong_etag(api: httpx.AsyncClient, widget_js: Path) -> None:
    response = await api.get("/widget.js", headers=IDENTITY)
    assert response.status_code == 200
    assert response.content == widget_js.read_bytes()
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=300"
    etag = response.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert etag.strip('"') == hashlib.sha256(widget_js.read_bytes()).hexdigest()[:16]
    assert "content-encoding" not in response.headers
    assert "Accept-Encoding" in response.headers["vary"]


async def test_if_none_match_gives_304(api: httpx.AsyncClient) -> None:
    etag = (await api.get("/widget.js", headers=IDENTITY)).headers["etag"]
    for header in (etag, f'"other", {etag}', f"W/{etag}", "*"):
        response = await api.get("/widget.js", headers={**IDENTITY, "If-None-Match": header})
        assert response.status_code == 304
        assert response.content == b""
        assert response.headers["etag"] == etag
    stale = await api.get("/widget.js", headers={**IDENTITY, "If-None-Match": '"stale"'})
    assert stale.status_code == 200


async def test_gzip_when_accepted(api: httpx.AsyncClient, widget_js: Path) -> None:
    plain = await api.get("/widget.js", headers=IDENTITY)
    # httpx decodes gzip itself: read the raw bytes to see what went over the wire.
    async with api.stream(
        "GET", "/widget.js", headers={"Accept-Encoding": "gzip;q=1, br;q=0"}
    ) as response:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw) == widget_js.read_bytes()
    assert len(raw) < len(plain.content)
    assert response.headers["etag"] != plain.headers["etag"]  # another representation
    revalidated = await api.get(
        "/widget.js", headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["etag"]}
    )
    assert revalidated.status_code == 304
    refused = await api.get("/widget.js", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers


async def test_versioned_url_is_immutable(api: httpx.AsyncClient, widget_js: Path) -> None:
    digest = (await api.get("/widget.js", headers=IDENTITY)).headers["etag"].strip('"')
    response = await api.get(f"/widget/{digest}.js", headers=IDENTITY)
    assert response.status_code == 200
    assert response.content == widget_js.read_bytes()
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert_problem(await api.get("/widget/0123456789abcdef.js"), 404, "not_found")


async def test_head(api: httpx.AsyncClient, widget_js: Path) -> None:
    response = await api.head("/widget.js", headers=IDENTITY)
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-length"] == str(len(widget_js.read_bytes()))


async def test_not_built_yet_is_503_then_served(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "later.js"
    async with client_for(create_app(make_deps(db, widget_js_path=path))) as client:
        assert_problem(await client.get("/widget.js"), 503, "widget_unavailable")
        path.write_text("console.log('built');\n")
        response = await client.get("/widget.js", headers=IDENTITY)
        assert response.status_code == 200 and response.text == "console.log('built');\n"


async def test_the_default_path_is_the_built_widget(db: Database) -> None:
    async with client_for(create_app(make_deps(db))) as client:
        response = await client.get("/widget.js", headers=IDENTITY)
    if DEFAULT_WIDGET_JS_PATH.exists():
        assert response.status_code == 200
        assert response.content == DEFAULT_WIDGET_JS_PATH.read_bytes()
    else:
        assert_problem(response, 503, "widget_unavailable")
