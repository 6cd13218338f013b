"""The process's one ASGI app: widget API, merchant API, webhooks and the merchant web app
(`/app/`) side by side.

Built here, in the composition root, because nothing else may import both API packages.
`include_widget_api` installs, for every route of the app, the problem+json handlers and
the request guards of the shared web layer (`web.errors`, `web.guards`).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from api.app import include_widget_api
from api.dependencies import ApiDependencies
from api.webhooks.endpoints import WebhookRouteDeps, include_webhook_routes
from cli.services import Services
from core.deployment import require_production_ready
from core.email import email_sender_from_settings
from core.runtime import Runtime
from core.settings import Settings
from dashboard_api.dependencies import DashboardDependencies
from dashboard_api.routes import include_dashboard_api
from dashboard_api.web_app import include_web_app
from ingestion.tasks import webhook_dispatcher

# The install is editable: the repository is the parent of this package.
REPOSITORY_ROOT = Path(__file__).resolve().parent.parent


def web_app_directory(settings: Settings) -> Path:
    """Where the merchant web app's static export is: SHOPBOT_DASHBOARD_DIR, else the
    repository's `dashboard_web/out` (what `npm --prefix dashboard_web run build` writes)."""
    return settings.dashboard_dir or REPOSITORY_ROOT / "dashboard_web" / "out"


def build_app(runtime: Runtime, services: Services) -> FastAPI:
    """`runtime.settings.public_api_url` must be set: the configured URL, or (development)
    the one the server was started on (`core.deployment.with_public_urls`)."""
    require_production_ready(runtime.settings)
    app = FastAPI(
        title="Shopbot API",
        version="1",
        summary="Merchant REST API under /v1, the widget API under /widget/v1, and webhooks.",
    )
    include_widget_api(
        app,
        ApiDependencies(
            db=runtime.db,
            settings=runtime.settings,
            signing_key=runtime.secrets.signing_key,
            redis=services.redis,
            answer_service=services.answer_service,
            secret_box=runtime.secrets.secret_box,
            email_sender=email_sender_from_settings(runtime.settings),
        ),
    )
    include_dashboard_api(
        app,
        DashboardDependencies(
            db=runtime.db,
            settings=runtime.settings,
            signing_key=runtime.secrets.signing_key,
            secret_box=runtime.secrets.secret_box,
            redis=services.redis,
            answer_service=services.answer_service,
            email_sender=email_sender_from_settings(runtime.settings),
            embedder=services.embedder,
        ),
    )
    include_webhook_routes(
        app,
        WebhookRouteDeps(
            db=runtime.db,
            secret_box=runtime.secrets.secret_box,
            apply_event=webhook_dispatcher(
                runtime.db, runtime.secrets.secret_box, services.embedder
            ),
        ),
    )
    include_web_app(app, web_app_directory(runtime.settings))
    return app
