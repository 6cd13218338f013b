"""`shopbot serve`: the API in one process, or in `--workers N` processes on one socket."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.context import DataDirOption, run_async, settings_for
from cli.output import console
from core.event_loop import check_loop_choice


def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to bind.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="API processes sharing the port (rate limits, quotas and caches are shared "
            "through REDIS_URL; without it each process keeps its own).",
            min=1,
            max=64,
        ),
    ] = 1,
    data_dir: DataDirOption = None,
) -> None:
    """Serve the merchant API, the widget API, webhooks and the merchant web app at /app/
    (migrates the database first)."""
    from core.deployment import require_production_ready, with_public_urls
    from core.observability import init_observability

    settings = settings_for(data_dir)
    init_observability(settings, component="api")  # logs and error reports, before anything runs
    require_production_ready(settings)  # before anything is migrated or generated
    check_loop_choice(settings.event_loop)  # not in N workers that would crash-loop on it
    settings = with_public_urls(settings, host=host, port=port)

    # Imported here, once the settings pass: every `shopbot` run builds all commands, and
    # the whole ASGI app (both APIs, the answer engine) is the heaviest import of all.
    from cli.serve_app import serve_app

    where = f"http://{host}:{port}"
    if workers == 1:
        console.print(
            f"Shopbot API on {where} (OpenAPI at /openapi.json, the merchant web app at /app/)"
        )
        run_async(
            lambda: serve_app(settings, host=host, port=port, migrate=True),
            loop=settings.event_loop,
        )
        return

    from cli.supervisor import WorkerSupervisor, bind_listening_socket
    from core.db.config import resolve_database_urls
    from core.runtime import migrate_database
    from core.secrets import with_explicit_secrets

    # Once, here: the embedded server started (the workers connect to it rather than start
    # their own), the schema migrated and the keys settled, then handed to every worker.
    urls = resolve_database_urls(settings)
    migrate_database(settings, urls)
    worker_settings = with_explicit_secrets(settings).model_copy(
        update={"database_url": urls.owner.render_as_string(hide_password=False)}
    )
    listening = bind_listening_socket(host, port)
    console.print(
        f"Shopbot API on {where} in {workers} processes (OpenAPI at /openapi.json, "
        "the merchant web app at /app/)"
    )
    code = WorkerSupervisor(worker_settings, listening, workers).run()
    if code:
        raise typer.Exit(code)
