"""A merchant request's log lines name the tenant its credential (JWT or API key) resolved."""

from __future__ import annotations

import io
import json
import logging

from fastapi import FastAPI

from core.db.database import Database
from core.observability.logs import configure_logging
from tests.dashboard_api.harness import build_app, client_for, register
from web.request_context import RequestContextMiddleware


async def test_a_merchant_request_logs_its_request_id_and_tenant(db: Database, redis) -> None:
    app: FastAPI = build_app(db, redis=redis)
    app.add_middleware(RequestContextMiddleware)
    stream = io.StringIO()
    handler = configure_logging("INFO", "json", stream=stream)
    try:
        async with client_for(app) as client:
            merchant = await register(client, business="Logged Outfitters")
            response = await client.get(
                "/v1/business", headers={**merchant.headers, "X-Request-ID": "dash-0042"}
            )
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger().setLevel(logging.WARNING)
    assert response.status_code == 200 and response.headers["X-Request-ID"] == "dash-0042"
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    [access] = [
        line
        for line in lines
        if line.get("request_id") == "dash-0042" and line["logger"] == "shopbot.access"
    ]
    assert access["tenant_id"] == str(merchant.tenant_id) and access["path"] == "/v1/business"
    register_lines = [line for line in lines if line.get("path") == "/v1/auth/register"]
    assert register_lines and all("tenant_id" not in line for line in register_lines)
    assert merchant.access_token not in stream.getvalue()
