"""The public widget API: an app of its own (`create_app`), or mounted into the process's
one app next to the merchant API (`include_widget_api`)."""

from __future__ import annotations

from fastapi import FastAPI

from api.chat.endpoints import router as chat_router
from api.cors import WidgetCorsMiddleware
from api.dependencies import WIDGET_RUNTIME, ApiDependencies, WidgetRuntime
from api.events.endpoints import router as events_router
from api.feedback.endpoints import router as feedback_router
from api.handoff.endpoints import router as handoff_router
from api.health.endpoints import router as health_router
from api.metrics import MetricsMiddleware
from api.privacy.endpoints import router as privacy_router
from api.sessions.endpoints import router as sessions_router
from api.static_assets.endpoints import router as static_router
from web.errors import install_error_handlers
from web.guards import install_request_guards
from web.request_context import RequestContextMiddleware

WIDGET_ROUTERS = (
    sessions_router,
    chat_router,
    feedback_router,
    events_router,
    privacy_router,
    handoff_router,
    static_router,
)


def include_widget_api(
    app: FastAPI, deps: ApiDependencies, *, with_health: bool = True
) -> WidgetRuntime:
    """Add the widget API to `app`: its routes, the problem+json error handlers, and the
    middleware (metrics, per-bot CORS on `/widget/v1/*`; for every route of the app: the
    body limit, the NUL/surrogate check, the catch-all 503/500). `with_health` adds
    `/healthz`, `/readyz` and `/metrics`.

    Call it once, before the app starts serving. The returned runtime holds the metrics
    registry (`runtime.metrics.registry`) other routers may register their metrics in.
    """
    runtime = WidgetRuntime.build(deps)
    WIDGET_RUNTIME.install(app, runtime)  # refuses a second call for the same app
    runtime.widget_asset.load()  # precomputed now; retried per request until it exists

    for router in WIDGET_ROUTERS:
        app.include_router(router)
    if with_health:
        app.include_router(health_router)
    install_error_handlers(app)

    # Added innermost first: the last one added runs first.
    install_request_guards(app)
    app.add_middleware(WidgetCorsMiddleware)
    app.add_middleware(MetricsMiddleware, metrics=runtime.metrics)
    # Outermost: the request id is on every response and every line logged for it.
    app.add_middleware(RequestContextMiddleware)
    return runtime


def create_app(runtime_deps: ApiDependencies) -> FastAPI:
    app = FastAPI(
        title="Shopbot widget API",
        version="1",
        summary="Sessions, chat (JSON or SSE), feedback and events for the embeddable widget.",
    )
    include_widget_api(app, runtime_deps)
    return app
