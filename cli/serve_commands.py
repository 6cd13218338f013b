"""`shopbot serve`, `shopbot worker`, `shopbot beat`: the production processes."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.context import DataDirOption, run_async, settings_for
from cli.output import console


def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to bind.", min=1, max=65535)] = 8000,
    data_dir: DataDirOption = None,
) -> None:
    """Serve the merchant API, the widget API, webhooks and the merchant web app at /app/
    (migrates the database first)."""
    from core.deployment import require_production_ready, with_public_urls
    from core.observability import init_observability

    settings = settings_for(data_dir)
    init_observability(settings, component="api")  # logs and error reports, before anything runs
    require_production_ready(settings)  # before anything is migrated or generated
    settings = with_public_urls(settings, host=host, port=port)

    # Imported here, once the settings pass: every `shopbot` run builds all commands, and
    # the whole ASGI app (both APIs, the answer engine) is the heaviest import of all.
    import uvicorn

    from api.health.metrics_port import with_metrics_port
    from cli.asgi import build_app
    from cli.services import build_services
    from core.runtime import open_runtime

    async def _serve() -> None:
        async with open_runtime(settings, run_migrations=True) as runtime:
            services = await build_services(runtime)
            try:
                app = build_app(runtime, services)
                console.print(
                    f"Shopbot API on http://{host}:{port} (OpenAPI at /openapi.json, "
                    "the merchant web app at /app/)"
                )
                # Logging stays as init_observability set it (format, level); the request
                # middleware writes the access lines, with request, tenant and bot ids.
                config = uvicorn.Config(
                    with_metrics_port(app, settings),
                    host=host,
                    port=port,
                    log_config=None,
                    access_log=False,
                    proxy_headers=True,
                )
                server = uvicorn.Server(config)
                await server.serve()
            finally:
                await services.close()

    run_async(_serve)
