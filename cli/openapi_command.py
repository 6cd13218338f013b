"""`shopbot openapi`: the merchant API's OpenAPI document, for the web app's typed client.

The document covers the `/v1` paths (the merchant API; the widget API and the webhooks are
not the web app's business) and the schemas they reference. It is built from the same
routers `shopbot serve` mounts (`dashboard_api.routes.build_router`), on an app of its own
with no runtime: no database, Redis, settings file or network is touched, so it runs in CI
and on a laptop alike. The output is deterministic (sorted keys, 2-space indent), and
`dashboard_web/openapi.json` is this output, committed (tests/cli/test_openapi_document.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

TITLE = "Shopbot merchant API"
REGENERATE = "shopbot openapi --out dashboard_web/openapi.json"


def merchant_api_document() -> dict[str, Any]:
    # Imported here: the other commands should not pay for every router and its models.
    from fastapi import FastAPI

    from dashboard_api.routes import build_router

    app = FastAPI(
        title=TITLE,
        version="1",
        summary="The merchant REST API under /v1 (JWT bearer auth; the web app's refresh "
        "token travels in an HttpOnly cookie, see auth_session_refresh).",
    )
    app.include_router(build_router())
    return app.openapi()


def render(document: dict[str, Any]) -> str:
    import json

    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def openapi(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write to this file instead of standard output."),
    ] = None,
) -> None:
    """Print (or write) the merchant API's OpenAPI document (/v1) as JSON, offline."""
    text = render(merchant_api_document())
    if out is None:
        typer.echo(text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {out}", err=True)
