"""The process's one ASGI app: widget API, merchant API and webhooks side by side.

Built here, in the composition root, because nothing else may import both API packages.
"""

from __future__ import annotations

from fastapi import FastAPI

from api.app import include_widget_api
from api.dependencies import ApiDependencies
from cli.services import Services
from core.runtime import Runtime


def build_app(runtime: Runtime, services: Services) -> FastAPI:
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
        ),
    )
    return app
