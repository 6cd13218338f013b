"""Every Celery task lands on one of the three queues, a sync by its mode; the worker reads
them in priority order; the broker options say so. (That a worker really takes them in
that order is shown with a real worker in tests/ingestion/test_celery_priority_and_fairness.)"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

import core.handoff.tasks
import core.privacy.tasks  # noqa: F401
import dashboard_api.billing.tasks  # noqa: F401
import ingestion.tasks  # noqa: F401
from cli.main import app as shopbot
from cli.worker_commands import worker, worker_argv
from core.background.celery_app import broker_transport_options, celery_app
from core.background.queues import PRIORITY_ORDER, TaskQueue, parse_queues
from core.settings import Settings


def _queue_of(name: str, **kwargs: object) -> str:
    # The task object, as `send_task` hands the router what its registry holds.
    task: Any = celery_app.tasks[name]
    options = celery_app.amqp.router.route({}, name, (), kwargs, task)
    return str(options["queue"].name)


def test_every_task_of_ours_is_routed_to_one_of_the_three_queues() -> None:
    ours = [name for name in celery_app.tasks if not name.startswith("celery.")]
    assert len(ours) >= 8, ours
    for name in ours:
        assert _queue_of(name, mode="full") in {q.value for q in TaskQueue}, name


def test_webhooks_first_incremental_syncs_second_bulk_work_last() -> None:
    assert _queue_of("ingestion.webhooks.apply") == "webhooks"
    assert _queue_of("handoff.reply_email") == "webhooks"
    for task in ("ingestion.sync.start", "ingestion.sync.step"):
        assert _queue_of(task, mode="incremental") == "sync"
        assert _queue_of(task, mode="full") == "bulk"
        assert _queue_of(task, mode="reconcile") == "bulk"
    assert _queue_of("ingestion.sync.step") == "bulk"  # a message without a mode
    assert _queue_of("ingestion.schedule.incremental") == "sync"
    assert _queue_of("privacy.retention.purge") == "bulk"
    assert _queue_of("billing.grace.sweep") == "bulk"
    assert _queue_of("ingestion.vector_indexes.sweep") == "bulk"


def test_the_worker_takes_its_queues_in_the_order_given_and_all_three_by_default() -> None:
    default = inspect.signature(worker).parameters["queues"].default
    assert parse_queues(default) == PRIORITY_ORDER
    assert worker_argv(2, default)[-1] == "--queues=webhooks,sync,bulk"
    assert worker_argv(1, "webhooks")[-1] == "--queues=webhooks"
    assert worker_argv(1, "bulk, sync,bulk")[-1] == "--queues=bulk,sync"
    with pytest.raises(typer.BadParameter, match="unknown queue 'urgent'"):
        worker_argv(1, "webhooks,urgent")
    with pytest.raises(typer.BadParameter):
        worker_argv(1, " , ")


def test_a_wrong_queue_name_stops_shopbot_worker_before_it_starts() -> None:
    result = CliRunner().invoke(shopbot, ["worker", "--queues", "urgent"])
    assert result.exit_code == 2, result.output
    assert "unknown queue" in result.output


def test_the_broker_takes_queues_by_priority_and_redelivers_after_the_timeout() -> None:
    options = broker_transport_options(Settings(celery_visibility_timeout_s=900))
    assert options["queue_order_strategy"] == "priority"
    assert options["visibility_timeout"] == 900
    assert options["unacked_restore_interval"] == 10  # swept often enough for the timeout
    short = broker_transport_options(Settings(celery_visibility_timeout_s=5))
    assert short["unacked_restore_interval"] == 1
