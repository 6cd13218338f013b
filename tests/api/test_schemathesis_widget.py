"""Schemathesis over the widget API, the webhooks and the health routes of the composed app
(`shopbot serve`), with a live widget session: no 5xx. Half of the cases carry a NUL or a
lone surrogate in one of their strings (tests.support.hostile_text)."""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from core.db.database import Database
from core.provisioning import provision_tenant
from engine.answer import AnswerService
from tests.dashboard_api.support import HashingEmbedder
from tests.support.composed_app import composed_app, composed_client
from tests.support.hostile_text import string_slots, with_hostile_text

from .conftest import SHOP_ORIGIN

EXAMPLES_PER_OPERATION = 25


@pytest.fixture(scope="module")
async def fuzz_target(app_url):  # noqa: ANN001, ANN201
    # The ASGI test client runs the app on its own event loop: no pooled connections.
    engine = create_async_engine(app_url, poolclass=NullPool)
    db = Database(engine=engine)
    shop = await provision_tenant(db, name="Fuzzing Outdoors", allowed_origins=[SHOP_ORIGIN])
    app = composed_app(db, app_url, answer_service=AnswerService(db, HashingEmbedder()))
    async with composed_client(app) as client:
        opened = await client.post("/widget/v1/sessions", json={"widget_key": shop.widget_key}, headers={"Origin": SHOP_ORIGIN})
        assert opened.status_code == 200, opened.text
    headers = {"Authorization": f"Bearer {opened.json()['session_token']}", "Origin": SHOP_ORIGIN}
    yield app, headers, shop.widget_key
    await engine.dispose()


def with_real_key(case, use_real: bool, widget_key: str):  # noqa: ANN001, ANN201
    """Half of the session requests carry the real widget key, so they get past the 403."""
    if use_real and isinstance(case.body, dict) and "widget_key" in case.body:
        case.body["widget_key"] = widget_key
    return case


def _has_hostile_text(value: str) -> bool:
    return any(ch == "\x00" or "\ud800" <= ch <= "\udfff" for ch in value)


def test_widget_and_webhook_routes_never_answer_5xx(fuzz_target) -> None:  # noqa: ANN001
    app, headers, widget_key = fuzz_target
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [
        op for op in (result.ok() for result in schema.get_all_operations()) if not op.path.startswith("/v1/")
    ]
    paths = {op.path for op in operations}
    assert {"/widget/v1/sessions", "/widget/v1/chat", "/widget/v1/feedback", "/widget/v1/events"} <= paths
    assert any(path.startswith("/webhooks/") for path in paths)
    calls: list[str] = []
    hostile: list[bool] = []
    statuses: list[str] = []
    failures: dict[str, str] = {}
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        keyed = st.tuples(operation.as_strategy(), st.booleans()).map(lambda pair: with_real_key(*pair, widget_key))
        strategy = with_hostile_text(keyed)

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def exercise(case) -> None:  # noqa: ANN001
            calls.append(case.operation.label)
            hostile.append(any(_has_hostile_text(value) for _, value, _ in string_slots(case)))
            response = case.call_and_validate(headers=headers, checks=[not_a_server_error])
            statuses.append(f"{case.operation.label} {response.status_code}")

        try:
            exercise()
        except Exception as failure:  # noqa: BLE001 - collect every operation's failure
            failures[label] = str(failure)[:2000]
    print(f"schemathesis: {len(calls)} calls over {len(operations)} operations, {sum(hostile)} with NUL or surrogates")  # noqa: T201
    print(sorted(Counter(statuses).items()))  # noqa: T201
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
    assert len(calls) >= 100
    assert sum(hostile) >= len(calls) // 5

