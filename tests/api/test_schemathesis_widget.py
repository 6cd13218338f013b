"""Schemathesis over the widget API, the webhooks and the health routes of the composed app
(`shopbot serve`), with a live widget session: no 5xx. Half of the cases carry a NUL or a
lone surrogate in one of their strings (tests.support.hostile_text)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.errors import InvalidSchema
from schemathesis.core.result import Err, Ok
from schemathesis.schemas import APIOperation
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from core.db.database import Database
from core.provisioning import provision_tenant
from engine.answer import AnswerService
from tests.api.harness import SHOP_ORIGIN
from tests.dashboard_api.support import HashingEmbedder
from tests.support.composed_app import composed_app, composed_client
from tests.support.hostile_text import fuzz_operations

EXAMPLES_PER_OPERATION = 25


@pytest.fixture(scope="module")
async def fuzz_target(app_url):
    # The ASGI test client runs the app on its own event loop: no pooled connections.
    engine = create_async_engine(app_url, poolclass=NullPool)
    db = Database(engine=engine)
    shop = await provision_tenant(db, name="Fuzzing Outdoors", allowed_origins=[SHOP_ORIGIN])
    app = composed_app(db, app_url, answer_service=AnswerService(db, HashingEmbedder()))
    async with composed_client(app) as client:
        opened = await client.post(
            "/widget/v1/sessions",
            json={"widget_key": shop.widget_key},
            headers={"Origin": SHOP_ORIGIN},
        )
        assert opened.status_code == 200, opened.text
    headers = {"Authorization": f"Bearer {opened.json()['session_token']}", "Origin": SHOP_ORIGIN}
    yield app, headers, shop.widget_key
    await engine.dispose()


def with_real_key(case, use_real: bool, widget_key: str):
    """Half of the session requests carry the real widget key, so they get past the 403."""
    if use_real and isinstance(case.body, dict) and "widget_key" in case.body:
        case.body["widget_key"] = widget_key
    return case


def _loaded(result: Ok[APIOperation] | Err[InvalidSchema]) -> APIOperation:
    """The operation; one the app's schema failed to describe fails the test."""
    assert isinstance(result, Ok), result.err()
    return result.ok()


def test_widget_and_webhook_routes_never_answer_5xx(fuzz_target) -> None:
    app, headers, widget_key = fuzz_target
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [
        op
        for op in (_loaded(result) for result in schema.get_all_operations())
        if not op.path.startswith("/v1/")
    ]
    paths = {op.path for op in operations}
    assert {
        "/widget/v1/sessions",
        "/widget/v1/chat",
        "/widget/v1/feedback",
        "/widget/v1/events",
    } <= paths
    assert any(path.startswith("/webhooks/") for path in paths)
    run = fuzz_operations(
        operations,
        lambda operation: st.tuples(operation.as_strategy(), st.booleans()).map(
            lambda pair: with_real_key(*pair, widget_key)
        ),
        headers=headers,
        checks=[not_a_server_error],
        examples_per_operation=EXAMPLES_PER_OPERATION,
    )
    run.assert_clean(min_calls=100)
