"""A whole business's personal data: `GET /v1/privacy/export` (owner or admin) and
`DELETE /v1/tenant` (owner only, confirmed by the business's exact name)."""

from __future__ import annotations

import os

from fastapi import APIRouter, BackgroundTasks
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from dashboard_api.auth.context import MerchantAdmin, MerchantOwner, TenantSession
from dashboard_api.dependencies import RuntimeDep
from dashboard_api.privacy import service
from dashboard_api.privacy.erasure import TenantErasure
from dashboard_api.privacy.schemas import TenantDelete, TenantErased
from ingestion.indexing.vector_index_sweep import upkeep_erased_tenant
from web.client import ClientDep

router = APIRouter(tags=["privacy"])


@router.get(
    "/privacy/export",
    operation_id="privacy_export",
    response_class=FileResponse,
    responses={
        200: {
            "description": (
                "A zip: one JSON Lines file per table of the business, tenants.jsonl (the "
                "profile) and README.txt (what is left out and why: secrets, embeddings)"
            ),
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def export_tenant(
    context: MerchantAdmin, session: TenantSession, client: ClientDep
) -> FileResponse:
    """Built in a temporary file (never all in memory), sent, then removed. Audit-logged."""
    export = await service.export_tenant(session, context, client)
    return FileResponse(
        export.path,
        media_type="application/zip",
        filename=export.filename,
        background=BackgroundTask(os.unlink, export.path),
    )


@router.delete(
    "/tenant",
    operation_id="tenant_delete",
)
async def delete_tenant(
    body: TenantDelete, context: MerchantOwner, runtime: RuntimeDep, after: BackgroundTasks
) -> TenantErased:
    """Erases every row of the business in every table (vectors included) and every member
    who belongs to no other business, after cancelling its Stripe subscription. Cannot be
    undone. 422 `confirmation_mismatch` when `confirm` is not the exact business name;
    503 `billing_unavailable` when Stripe could not cancel the subscription (nothing is
    deleted then)."""
    erased = await TenantErasure(runtime).erase(context, body.confirm)
    # Its vector index (a big catalogue's) is not a row: dropped after the response, as
    # DROP INDEX CONCURRENTLY waits for searches in flight; the nightly sweep catches a miss.
    after.add_task(upkeep_erased_tenant, context.tenant_id)
    return TenantErased(erasure_id=erased.erasure_id, row_counts=erased.row_counts)
