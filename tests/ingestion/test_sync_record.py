"""The job record's JSON (`shopbot sync --json`) keeps its keys, their order and its value
formats: scripts parse it."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from core.models import SyncJob
from ingestion.sync.jobs import job_record

KEYS = [
    "id",
    "store_id",
    "mode",
    "trigger",
    "status",
    "total",
    "processed",
    "counts",
    "error",
    "warnings",
    "created_at",
    "started_at",
    "heartbeat_at",
    "finished_at",
]
COUNT_KEYS = ["seen", "created", "updated", "unchanged", "deleted", "chunks_written", "errors"]


def test_the_json_record_has_the_same_keys_order_and_formats() -> None:
    created = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    job = SyncJob(
        id=uuid.uuid4(),
        tenant_id=uuid.uuid4(),
        store_id=uuid.uuid4(),
        mode="incremental",
        trigger="manual",
        status="failed",
        total=None,
        processed=7,
        counts={"seen": 7, "errors": 1},
        checkpoint={},
        error="the store stayed down",
        created_at=created,
        started_at=None,
        heartbeat_at=created,
        finished_at=None,
    )
    printed = json.loads(json.dumps(job_record(job).model_dump(mode="json")))
    assert list(printed) == KEYS
    assert list(printed["counts"]) == COUNT_KEYS
    assert printed["counts"] == {**dict.fromkeys(COUNT_KEYS, 0), "seen": 7, "errors": 1}
    assert printed["id"] == str(job.id) and printed["store_id"] == str(job.store_id)
    assert (printed["mode"], printed["trigger"], printed["status"]) == (
        "incremental",
        "manual",
        "failed",
    )
    assert printed["created_at"] == printed["heartbeat_at"] == created.isoformat()
    assert created.isoformat().endswith("+00:00")
    assert printed["started_at"] is None and printed["total"] is None
    assert printed["warnings"] == []  # a row written before warnings existed has none
