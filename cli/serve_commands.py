"""`shopbot serve`, `shopbot worker`, `shopbot beat`: the production processes."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from cli.asgi import build_app
from cli.context import DataDirOption, run_async, settings_for
from cli.output import console
from cli.services import build_services
from core.runtime import open_runtime


def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to bind.", min=1, max=65535)] = 8000,
    data_dir: DataDirOption = None,
) -> None:
    """Serve the merchant API, the widget API and webhooks (migrates the database first)."""
    settings = settings_for(data_dir)

    async def _serve() -> None:
        async with open_runtime(settings, run_migrations=True) as runtime:
            services = await build_services(runtime)
            try:
                app = build_app(runtime, services)
                console.print(f"Shopbot API on http://{host}:{port} (OpenAPI at /openapi.json)")
                server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="info", proxy_headers=True))
                await server.serve()
            finally:
                await services.close()

    run_async(_serve)
