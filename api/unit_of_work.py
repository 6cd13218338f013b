"""The request's unit of work for widget endpoints: one tenant session, committed at the
edge (when the endpoint returns, before the response is sent), rolled back on error."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from api.dependencies import RuntimeDep
from api.sessions.auth import WidgetSession
from core.background.queue import sending_jobs_after_commit


async def widget_db_session(
    widget: WidgetSession, runtime: RuntimeDep
) -> AsyncIterator[AsyncSession]:
    async with runtime.deps.db.tenant_session(widget.tenant_id) as session:
        yield session


WidgetDbSession = Annotated[AsyncSession, Depends(widget_db_session, scope="function")]


async def widget_jobs_session(
    widget: WidgetSession, runtime: RuntimeDep
) -> AsyncIterator[AsyncSession]:
    """The same unit of work, whose background jobs (core.background.queue) are sent after
    its commit and dropped on rollback."""
    transaction = runtime.deps.db.tenant_session(widget.tenant_id)
    async with sending_jobs_after_commit(transaction) as session:
        yield session


WidgetJobsSession = Annotated[AsyncSession, Depends(widget_jobs_session, scope="function")]
