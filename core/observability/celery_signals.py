"""Celery processes log through our handler, and each task's lines carry its tenant.

Celery replaces the root logger's handlers at start-up unless a `setup_logging` receiver
exists; connecting one keeps the format and level `configure_logging` chose. A task's id
becomes its request id and its `tenant_id` argument its tenant, for the task's duration.
"""

from __future__ import annotations

from contextvars import Token
from typing import Any

from celery import signals

from core.observability import context

_open_contexts: dict[str, Token[context.RequestContext | None]] = {}


def _keep_our_logging(**_: Any) -> None:
    """Connected only so that Celery leaves logging as we configured it."""


def _open_task_context(
    task_id: str | None = None, kwargs: dict[str, Any] | None = None, **_: Any
) -> None:
    token = context.open_context(request_id=task_id)
    if task_id is not None:
        _open_contexts[task_id] = token
    tenant_id = (kwargs or {}).get("tenant_id")
    if tenant_id is not None:
        context.bind_tenant(tenant_id)


def _close_task_context(task_id: str | None = None, **_: Any) -> None:
    token = _open_contexts.pop(task_id, None) if task_id is not None else None
    if token is not None:
        context.close_context(token)


def connect_celery_signals() -> None:
    signals.setup_logging.connect(_keep_our_logging, weak=False)
    signals.task_prerun.connect(_open_task_context, weak=False)
    signals.task_postrun.connect(_close_task_context, weak=False)
