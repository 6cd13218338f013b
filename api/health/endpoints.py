from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.dependencies import RuntimeDep
from api.errors import NotReady
from api.health.metrics_access import MetricsAccess
from api.health.readiness import check_dependencies
from api.metrics import scraped_registry

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Public: the process is up (no dependency is checked)."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "A dependency is down"}})
async def readyz(runtime: RuntimeDep) -> dict[str, object]:
    """Public: the database and (where configured) Redis are reachable."""
    checks = await check_dependencies(runtime.deps.db, runtime.deps.redis)
    if "down" in checks.values():
        down = ", ".join(name for name, state in checks.items() if state == "down")
        raise NotReady(f"Not ready: {down} unreachable.", checks=checks)
    return {"status": "ready", "checks": checks}


@router.get("/metrics", include_in_schema=False)
async def metrics(
    runtime: RuntimeDep, authorization: Annotated[str | None, Header()] = None
) -> Response:
    """Guarded by `MetricsAccess`: a bearer token, or open only in development (see
    api/health/metrics_access.py). Prometheus text format."""
    MetricsAccess.from_settings(runtime.deps.settings).check(authorization)
    scraped = scraped_registry(runtime.metrics.registry)
    return Response(generate_latest(scraped), media_type=CONTENT_TYPE_LATEST)
