"""The request's unit of work for widget endpoints: one tenant session, committed at the
edge (when the endpoint returns, before the response is sent), rolled back on error."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from api.dependencies import RuntimeDep
from api.sessions.auth import WidgetSession


async def widget_db_session(
    widget: WidgetSession, runtime: RuntimeDep
) -> AsyncIterator[AsyncSession]:
    async with runtime.deps.db.tenant_session(widget.tenant_id) as session:
        yield session


WidgetDbSession = Annotated[AsyncSession, Depends(widget_db_session, scope="function")]
