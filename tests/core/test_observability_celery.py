"""Celery under observability: a failing task reaches Sentry (the real Celery integration,
a local ingest server) without its secret arguments, and its log lines name its tenant."""

from __future__ import annotations

import io
import json
import logging
import uuid

import sentry_sdk

from core.background.celery_app import celery_app
from core.observability.celery_signals import connect_celery_signals
from core.observability.logs import configure_logging
from core.observability.sentry import init_sentry
from core.settings import Settings
from tests.support.sentry_ingest import local_ingest

STORE_SECRET = "cs_" + "9e8d7c6b" * 5
SHOPPER_EMAIL = "sam.buyer@example.net"


@celery_app.task(name="tests.observability.failing_store_sync")
def failing_store_sync(*, tenant_id: str, consumer_secret: str, email: str) -> None:
    logging.getLogger("tests.store_sync").warning("syncing the store of %s", email)
    raise ConnectionRefusedError(f"store refused {consumer_secret} while syncing for {email}")


def test_a_failing_task_is_reported_scrubbed_and_its_log_lines_name_the_tenant() -> None:
    tenant_id = str(uuid.uuid4())
    stream = io.StringIO()
    handler = configure_logging("INFO", "json", stream=stream)
    connect_celery_signals()
    try:
        with local_ingest() as ingest:
            assert init_sentry(Settings(sentry_dsn=ingest.dsn), component="worker")
            result = failing_store_sync.apply(
                kwargs={
                    "tenant_id": tenant_id,
                    "consumer_secret": STORE_SECRET,
                    "email": SHOPPER_EMAIL,
                },
                throw=False,
            )
            assert result.failed()
            sentry_sdk.flush(timeout=10)
            events = ingest.events()
            raw = b"".join(envelope.raw for envelope in ingest.envelopes)
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger().setLevel(logging.WARNING)

    [event] = [
        e
        for e in events
        if e.get("exception", {}).get("values", [{}])[-1].get("type") == "ConnectionRefusedError"
    ]
    assert event["exception"]["values"][-1]["mechanism"]["type"] == "celery"
    assert event["tags"]["component"] == "worker" and event["tags"]["tenant_id"] == tenant_id
    assert event["extra"]["celery-job"]["task_name"] == "tests.observability.failing_store_sync"
    assert event["extra"]["celery-job"]["kwargs"] == "[Filtered]"  # arguments never leave
    assert STORE_SECRET.encode() not in raw and SHOPPER_EMAIL.encode() not in raw

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    [task_line] = [line for line in lines if line["logger"] == "tests.store_sync"]
    assert task_line["tenant_id"] == tenant_id and task_line["request_id"] == result.id
    # Masked by the log setup's PersonalDataFilter before the scrubber sees it.
    assert task_line["message"] == "syncing the store of [email]"
