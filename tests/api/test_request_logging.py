"""JSON log lines carry the request id (echoed in `X-Request-ID`) and the tenant and bot the
auth dependency resolved; `SHOPBOT_LOG_LEVEL` and `SHOPBOT_LOG_FORMAT` are honoured."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from api.app import create_app
from core.db.database import Database
from core.errors import ConfigurationError
from core.observability import init_observability, log_format_for
from core.observability.logs import configure_logging
from core.settings import Settings
from tests.api.harness import Shop, bearer, client_for, make_deps, open_session


class LogCapture:
    def __init__(self) -> None:
        self.stream = io.StringIO()

    def lines(self) -> list[str]:
        return [line for line in self.stream.getvalue().splitlines() if line]

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.lines()]

    def access_lines(self) -> list[dict[str, Any]]:
        return [record for record in self.records() if record["logger"] == "shopbot.access"]


@pytest.fixture
def json_logs() -> Iterator[LogCapture]:
    capture = LogCapture()
    handler = configure_logging("INFO", "json", stream=capture.stream)
    root = logging.getLogger()
    try:
        yield capture
    finally:
        root.removeHandler(handler)
        root.setLevel(logging.WARNING)


async def test_a_widget_request_logs_a_json_line_with_its_echoed_request_id_and_tenant(
    api: httpx.AsyncClient, shop: Shop, json_logs: LogCapture
) -> None:
    response = await api.post(
        "/widget/v1/sessions",
        json={"widget_key": shop.widget_key},
        headers={"Origin": shop.origin, "X-Request-ID": "checkout-7f3a.1"},
    )
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "checkout-7f3a.1"

    [line] = [r for r in json_logs.access_lines() if r["path"] == "/widget/v1/sessions"]
    assert line["request_id"] == "checkout-7f3a.1"
    assert line["tenant_id"] == str(shop.tenant_id) and line["bot_id"] == str(shop.bot_id)
    assert line["level"] == "INFO" and line["status"] == 200 and line["method"] == "POST"
    assert line["message"] == "POST /widget/v1/sessions 200" and line["time"].endswith("+00:00")
    assert shop.widget_key not in json_logs.stream.getvalue()


async def test_a_session_token_request_names_its_tenant_and_bot(
    api: httpx.AsyncClient, shop: Shop, json_logs: LogCapture
) -> None:
    session = await open_session(api, shop)
    response = await api.post(
        "/widget/v1/events",
        json={"type": "widget_opened"},
        headers=bearer(session["session_token"]),
    )
    request_id = response.headers["X-Request-ID"]
    [line] = [r for r in json_logs.access_lines() if r["request_id"] == request_id]
    assert line["path"] == "/widget/v1/events"
    assert line["tenant_id"] == str(shop.tenant_id) and line["bot_id"] == str(shop.bot_id)
    assert session["session_token"] not in json_logs.stream.getvalue()


@pytest.mark.parametrize("given", ["bad id with spaces", "x" * 129, "-leading-dash", "a\u00e9b"])
async def test_an_insane_request_id_is_replaced_by_a_generated_one(
    api: httpx.AsyncClient, json_logs: LogCapture, given: str
) -> None:
    response = await api.get("/healthz", headers={b"X-Request-ID": given.encode("utf-8")})
    echoed = response.headers["X-Request-ID"]
    assert echoed != given and len(echoed) == 32 and echoed.isalnum()


async def test_without_a_credential_a_line_has_no_tenant(
    api: httpx.AsyncClient, json_logs: LogCapture
) -> None:
    response = await api.get("/no/such/page")
    [line] = [
        r for r in json_logs.access_lines() if r["request_id"] == response.headers["X-Request-ID"]
    ]
    assert line["status"] == 404 and "tenant_id" not in line and "bot_id" not in line


async def test_an_unhandled_error_is_logged_with_its_request_id_and_a_scrubbed_traceback(
    db: Database, json_logs: LogCapture
) -> None:
    app = create_app(make_deps(db))

    @app.get("/v1/test-only/explode")
    async def explode() -> None:
        raise RuntimeError(
            "upstream said no to Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
        )

    async with client_for(app) as client:
        response = await client.get("/v1/test-only/explode")
    assert response.status_code == 500 and response.headers["X-Request-ID"]
    [error] = [r for r in json_logs.records() if r["level"] == "ERROR"]
    assert error["request_id"] == response.headers["X-Request-ID"]
    assert "RuntimeError: upstream said no to Bearer [Filtered]" in error["exception"]
    assert "eyJzdWIiOiIxIn0" not in json_logs.stream.getvalue()


async def test_log_level_is_honoured(api: httpx.AsyncClient) -> None:
    capture = LogCapture()
    root = logging.getLogger()
    handler = configure_logging("WARNING", "json", stream=capture.stream)
    try:
        await api.get("/no/such/page")
        assert capture.access_lines() == []
        handler = configure_logging("info", "json", stream=capture.stream)
        await api.get("/no/such/page")
        assert [line["status"] for line in capture.access_lines()] == [404]
    finally:
        root.removeHandler(handler)
        root.setLevel(logging.WARNING)


def test_an_unknown_log_level_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="SHOPBOT_LOG_LEVEL"):
        configure_logging("verbose", "json")


def test_text_format_keeps_the_ids(api: httpx.AsyncClient) -> None:
    capture = LogCapture()
    handler = configure_logging("INFO", "text", stream=capture.stream)
    try:
        from core.observability.context import bind_tenant, request_context

        with request_context("req-1"):
            bind_tenant("tenant-9", "bot-3")
            logging.getLogger("shopbot.test").info("hello %s", "world")
        logging.getLogger("shopbot.test").info("outside")
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger().setLevel(logging.WARNING)
    inside, outside = capture.lines()
    assert inside.endswith(
        "INFO shopbot.test: hello world [request_id=req-1 tenant_id=tenant-9 bot_id=bot-3]"
    )
    assert outside.endswith("INFO shopbot.test: outside")


def test_json_is_the_default_format_in_production_only() -> None:
    assert log_format_for(Settings(env="production")) == "json"
    assert log_format_for(Settings(env="development")) == "text"
    assert log_format_for(Settings(env="production", log_format="text")) == "text"
    assert log_format_for(Settings(log_format="json")) == "json"


def test_init_observability_applies_the_settings() -> None:
    root = logging.getLogger()
    try:
        init_observability(Settings(log_level="ERROR", log_format="json"), component="api")
        [handler] = [h for h in root.handlers if getattr(h, "_shopbot", False)]
        assert root.level == logging.ERROR
        record = logging.makeLogRecord(
            {"name": "x", "levelno": logging.ERROR, "levelname": "ERROR", "msg": "m"}
        )
        assert json.loads(handler.format(record))["message"] == "m"
    finally:
        for handler in [h for h in root.handlers if getattr(h, "_shopbot", False)]:
            root.removeHandler(handler)
        root.setLevel(logging.WARNING)
        logging.captureWarnings(False)


@pytest.mark.parametrize(("level", "shown"), [("INFO", False), ("DEBUG", True)])
def test_the_http_clients_line_per_request_shows_only_at_debug(level: str, shown: bool) -> None:
    capture = LogCapture()
    handler = configure_logging(level, "text", stream=capture.stream)
    try:
        for name in ("httpx", "httpx2"):
            logging.getLogger(name).info('HTTP Request: POST http://model.test "200 OK"')
            logging.getLogger(name).warning("a client warning")
    finally:
        logging.getLogger().removeHandler(handler)
        for name in ("httpx", "httpx2"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    text = capture.stream.getvalue()
    assert ("HTTP Request" in text) is shown
    assert text.count("a client warning") == 2
