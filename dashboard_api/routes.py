"""Mounting the dashboard API: `include_dashboard_api(app, deps)`.

The composition root builds the app, installs the one problem+json handler (web.errors)
and calls this; every route lives under `/v1`, documents the problem responses it can
give, and has a stable `operation_id` (`<domain>_<action>`). One exception: Stripe's
webhook, `POST /webhooks/stripe`, beside the other webhooks (public, signature-verified).
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from dashboard_api.analytics.endpoints import router as analytics_router
from dashboard_api.analytics.questions import router as questions_router
from dashboard_api.api_keys.endpoints import router as api_keys_router
from dashboard_api.audit_log.endpoints import router as audit_log_router
from dashboard_api.auth.endpoints import router as auth_router
from dashboard_api.billing.endpoints import router as billing_router
from dashboard_api.billing.endpoints import webhook_router as stripe_webhook_router
from dashboard_api.bots.endpoints import router as bots_router
from dashboard_api.business.endpoints import router as business_router
from dashboard_api.conversations.endpoints import router as conversations_router
from dashboard_api.conversations.handoff_endpoints import router as handoff_router
from dashboard_api.dependencies import DASHBOARD_RUNTIME, DashboardDependencies, DashboardRuntime
from dashboard_api.knowledge.endpoints import router as knowledge_router
from dashboard_api.openapi import COMMON_RESPONSES
from dashboard_api.privacy.endpoints import router as privacy_router
from dashboard_api.stores.endpoints import router as stores_router
from dashboard_api.team.endpoints import router as team_router
from dashboard_api.visitors.endpoints import router as visitors_router

DOMAIN_ROUTERS = (
    auth_router,
    team_router,
    business_router,
    bots_router,
    stores_router,
    knowledge_router,
    conversations_router,
    handoff_router,
    api_keys_router,
    audit_log_router,
    analytics_router,
    questions_router,
    billing_router,
    privacy_router,
    visitors_router,
)


def build_router() -> APIRouter:
    router = APIRouter(prefix="/v1", responses=COMMON_RESPONSES)
    for domain in DOMAIN_ROUTERS:
        router.include_router(domain)
    return router


def include_dashboard_api(app: FastAPI, deps: DashboardDependencies) -> None:
    DASHBOARD_RUNTIME.install(app, DashboardRuntime.build(deps))
    app.include_router(build_router())
    app.include_router(stripe_webhook_router)
