"""`shopbot worker` and `shopbot beat`: the Celery processes of the production shape."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from cli.context import DataDirOption
from core.deployment import require_production_ready
from core.errors import ConfigurationError
from core.settings import get_settings


def _configured(data_dir) -> None:
    if data_dir is not None:
        # Tasks read settings themselves (each task is an edge); hand them the data dir.
        os.environ["SHOPBOT_DATA_DIR"] = str(data_dir)
        get_settings.cache_clear()
    settings = get_settings()
    require_production_ready(settings)
    if not settings.redis_url:
        raise ConfigurationError(
            "a worker needs REDIS_URL; without it tasks run inside the API process"
        )
    # Celery is imported once the settings pass: every `shopbot` run builds all commands,
    # and should not pay for it (see cli/main.py).
    from core.background.celery_app import configure_celery

    configure_celery(settings)
    import core.handoff.tasks
    import core.privacy.tasks  # noqa: F401 - registers the retention purge and its beat entry
    import dashboard_api.billing.tasks  # noqa: F401 - registers the grace sweep and its beat entry
    import ingestion.tasks  # noqa: F401 - registers the tasks and the beat schedule


QUEUES_HELP = (
    "Queues to consume, comma separated, highest priority first (default: all three: "
    "webhooks,sync,bulk). Name one or two to run dedicated workers, e.g. `--queues webhooks`."
)


def worker_argv(concurrency: int, queues: str) -> list[str]:
    """Celery's worker arguments. The queue order given is the order taken in
    (`queue_order_strategy='priority'`, core.background.celery_app)."""
    from core.background.queues import parse_queues

    try:
        chosen = parse_queues(queues)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--queues") from None
    # -O fair: hand a task to a process only when it is free, so one tenant's long sync
    # pages cannot queue up behind a busy process while others wait.
    return [
        "worker",
        f"--concurrency={concurrency}",
        "--loglevel=INFO",
        "-O",
        "fair",
        f"--queues={','.join(chosen)}",
    ]


def worker(
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, help="Worker processes.")] = 2,
    queues: Annotated[str, typer.Option("--queues", help=QUEUES_HELP)] = "webhooks,sync,bulk",
    data_dir: DataDirOption = None,
) -> None:
    """Run a Celery worker for webhooks, syncs and maintenance, by queue priority."""
    argv = worker_argv(concurrency, queues)  # a wrong queue name fails before anything starts
    _configured(data_dir)
    from core.background.celery_app import celery_app
    from core.observability import init_observability

    init_observability(get_settings(), component="worker")
    celery_app.worker_main(argv)


def beat(data_dir: DataDirOption = None) -> None:
    """Run Celery beat: incremental syncs every 15 minutes, a nightly reconcile, the hourly
    retention purge and payment grace sweep."""
    _configured(data_dir)
    from core.background.celery_app import celery_app
    from core.observability import init_observability

    init_observability(get_settings(), component="beat")
    schedule = get_settings().data_dir / "celerybeat-schedule"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    celery_app.start(["beat", "--loglevel=INFO", "--schedule", str(schedule)])
