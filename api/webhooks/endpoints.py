"""`POST /webhooks/woocommerce/{store_id}`: public (WooCommerce cannot hold a credential of
ours); authenticity comes from the HMAC signature, checked against the store's own secret.

Answers: ping 200; accepted 200 (`{"status": "accepted"}`), replay 200
(`{"status": "duplicate"}`, whatever its delivery id header says); body over the limit 413;
a bad signature, an unknown store and a malformed store id all get the very same 401
(status, headers and body: the problem carries no `instance`, which would echo the store id),
so the endpoint does not tell which store ids exist. Errors are `application/problem+json`.
Applying an accepted event never fails the delivery: WooCommerce disables a webhook after
a few non-2xx answers and never retries, so an apply error is recorded on the event (and
healed by the next incremental sync) instead.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from core.crypto import SecretBox
from core.db.database import Database
from core.errors import AppError
from core.ids import TenantId, parse_uuid
from ingestion.webhooks import receive_woocommerce_webhook
from web.errors import ProblemResponse

log = logging.getLogger(__name__)

ApplyEvent = Callable[[TenantId, uuid.UUID], Awaitable[None]]

# A store id that is not a UUID is answered like any unknown store; no store has the nil id.
_NO_STORE = uuid.UUID(int=0)


@dataclass
class WebhookRouteDeps:
    db: Database
    secret_box: SecretBox
    # What happens to a newly recorded event: `ingestion.tasks.webhook_dispatcher(...)`
    # applies it in-process (embedded mode) or enqueues the Celery task.
    apply_event: ApplyEvent


def _problem(error: AppError) -> ProblemResponse:
    # Not web.errors.app_error_response: its `instance` (the path) would echo the store id,
    # and every refusal must be the same bytes whichever store id was asked for.
    return ProblemResponse(error.problem(), status_code=error.status_code)


def build_webhook_router(deps: WebhookRouteDeps) -> APIRouter:
    router = APIRouter(tags=["webhooks"])

    @router.post(
        "/webhooks/woocommerce/{store_id}",
        summary="Receive a WooCommerce webhook (public, HMAC-verified)",
    )
    async def woocommerce_webhook(store_id: str, request: Request) -> JSONResponse:
        try:
            # Bounded already: the process's body limit (web.body_limit) caps /webhooks/ bodies.
            body = await request.body()
            received = await receive_woocommerce_webhook(
                deps.db,
                deps.secret_box,
                store_id=parse_uuid(store_id) or _NO_STORE,
                headers=dict(request.headers),
                body=body,
            )
        except AppError as error:
            return _problem(error)
        if received.accepted and received.event_id is not None and received.tenant_id is not None:
            try:
                await deps.apply_event(received.tenant_id, received.event_id)
            except Exception:
                log.warning("applying webhook event %s failed", received.event_id, exc_info=True)
        return JSONResponse({"status": received.status})

    return router


def include_webhook_routes(app: FastAPI, deps: WebhookRouteDeps) -> None:
    app.include_router(build_webhook_router(deps))
