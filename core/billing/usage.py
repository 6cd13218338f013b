"""Monthly usage counters, admitted atomically.

`admit` is one statement: insert the month's counter or add to it, but only while the
result stays within the limit, and say whether it did. PostgreSQL's `ON CONFLICT ... DO
UPDATE ... WHERE` takes the row lock and re-reads the value, so fifty concurrent requests
at `limit - 10` admit exactly ten: no count is lost and none overshoots. The month is the
calendar month in UTC (quotas reset on the 1st at 00:00 UTC, whatever the billing date).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models.billing import UsageCounter, UsageMetric


def month_start(now: datetime | None = None) -> date:
    now = now or datetime.now(UTC)
    return now.astimezone(UTC).date().replace(day=1)


@dataclass(frozen=True, slots=True)
class Admission:
    admitted: bool
    used: int  # the counter after this request (admitted) or as it stands (refused)


_ADMIT = text("""
    INSERT INTO usage_counters AS c (id, tenant_id, period_start, metric, value)
    SELECT CAST(:id AS uuid), CAST(:tenant_id AS uuid), CAST(:period AS date),
           CAST(:metric AS varchar), CAST(:amount AS bigint)
    WHERE CAST(:amount AS bigint) <= CAST(:limit AS bigint)
    ON CONFLICT (tenant_id, period_start, metric)
        DO UPDATE SET value = c.value + EXCLUDED.value
        WHERE c.value + EXCLUDED.value <= CAST(:limit AS bigint)
    RETURNING c.value
""")

_ADD = text("""
    INSERT INTO usage_counters AS c (id, tenant_id, period_start, metric, value)
    VALUES (:id, :tenant_id, :period, :metric, :amount)
    ON CONFLICT (tenant_id, period_start, metric)
        DO UPDATE SET value = c.value + EXCLUDED.value
    RETURNING c.value
""")


def _counter_row(
    tenant_id: TenantId, metric: UsageMetric, amount: int, now: datetime | None
) -> dict[str, Any]:
    """The parameters both counter statements insert (or add to the month's row)."""
    return {
        "id": uuid.uuid4(),
        "tenant_id": tenant_id,
        "period": month_start(now),
        "metric": metric.value,
        "amount": amount,
    }


async def admit(
    session: AsyncSession,
    tenant_id: TenantId,
    metric: UsageMetric,
    *,
    limit: int,
    amount: int = 1,
    now: datetime | None = None,
) -> Admission:
    """Count `amount` against this month's `metric` if the total stays within `limit`."""
    params = {**_counter_row(tenant_id, metric, amount, now), "limit": limit}
    value = await session.scalar(_ADMIT, params)
    if value is not None:
        return Admission(admitted=True, used=int(value))
    used = await used_this_month(session, tenant_id, [metric], now=now)
    return Admission(admitted=False, used=used[metric])


async def add(
    session: AsyncSession,
    tenant_id: TenantId,
    metric: UsageMetric,
    amount: int,
    *,
    now: datetime | None = None,
) -> int:
    """Count `amount` whatever the limit (what was spent is spent: model tokens of an
    answer already given). Returns the month's total."""
    return int(await session.scalar(_ADD, _counter_row(tenant_id, metric, amount, now)) or 0)


async def used_this_month(
    session: AsyncSession,
    tenant_id: TenantId,
    metrics: Iterable[UsageMetric] = tuple(UsageMetric),
    *,
    now: datetime | None = None,
) -> dict[UsageMetric, int]:
    wanted = list(metrics)
    rows = await session.execute(
        select(UsageCounter.metric, UsageCounter.value).where(
            UsageCounter.tenant_id == tenant_id,
            UsageCounter.period_start == month_start(now),
            UsageCounter.metric.in_([m.value for m in wanted]),
        )
    )
    found = {UsageMetric(metric): int(value) for metric, value in rows}
    return {metric: found.get(metric, 0) for metric in wanted}
