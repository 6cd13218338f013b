"""Observability for every process: logs (format, level, request/tenant/bot ids) and error
reporting (Sentry). `init_observability` is the one call `shopbot serve`, `worker` and
`beat` make at start-up."""

from __future__ import annotations

import logging
from typing import Literal

from core.observability.logs import LogFormat, configure_logging
from core.settings import Settings

Component = Literal["api", "worker", "beat"]


def log_format_for(settings: Settings) -> LogFormat:
    """The configured format, else JSON lines in production and text elsewhere."""
    if settings.log_format is not None:
        return settings.log_format
    return "json" if settings.env == "production" else "text"


def init_observability(settings: Settings, *, component: Component) -> None:
    # Imported here, not at the top: every `shopbot` command imports this package for its
    # logs, and Sentry's integrations (FastAPI) and Celery cost ~0.5 s of start-up.
    from core.observability.celery_signals import connect_celery_signals
    from core.observability.sentry import init_sentry

    configure_logging(settings.log_level, log_format_for(settings))
    logging.captureWarnings(True)  # a library's warning is a log line too, in the same format
    if component in ("worker", "beat"):
        connect_celery_signals()
    init_sentry(settings, component=component)
