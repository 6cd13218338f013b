"""Reading one of a tenant's rows by its id, or failing with `NotFound`."""

from __future__ import annotations

import uuid
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from core.ids import TenantId
from core.models.base import TenantScoped, UUIDPrimaryKey

RowT = TypeVar("RowT", bound=UUIDPrimaryKey)


async def tenant_row(
    session: AsyncSession,
    model: type[RowT],
    tenant_id: TenantId,
    row_id: uuid.UUID,
    *,
    missing: str,
    for_update: bool = False,
) -> RowT:
    """The tenant's `model` row with this id (locked when `for_update`); `NotFound(missing)`
    when there is none. The tenant filter stands beside row-level security on purpose, as
    every tenant query here does: the id alone must never pick another tenant's row."""
    if not issubclass(model, TenantScoped):
        raise TypeError(f"{model.__name__} is not a tenant's table")
    statement = select(model).where(model.tenant_id == tenant_id, model.id == row_id)
    if for_update:
        statement = statement.with_for_update()
    row = await session.scalar(statement)
    if row is None:
        raise NotFound(missing)
    return row
