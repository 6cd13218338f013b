"""`shopbot demo`: the whole product on this machine with embedded defaults.

Embedded PostgreSQL with pgvector, migrations, a demo tenant with its dashboard owner,
bot and WooCommerce store (the bundled catalogue served over wc/v3 by this same server,
so the first sync runs through the real client and pipeline), the API, and a storefront
page on a second origin with the widget on it. Ctrl-C stops everything; a second run
reuses the data dir and only syncs what changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import uuid
from typing import TYPE_CHECKING, Annotated

import typer

from cli.context import DataDirOption, run_async, settings_for
from cli.listening import bound_tcp_socket
from cli.output import console, err_console
from core.errors import ConfigurationError

# The app, the servers and the sync pipeline are imported when the demo runs: every
# `shopbot` run builds all commands, and should not pay for them (see cli/main.py).
if TYPE_CHECKING:
    import uvicorn

    from cli.demo.setup import DemoState
    from core.settings import Settings

STARTUP_TIMEOUT_S = 30
# What the demo prints (and writes to demo.json, with the tenant and store ids).
SUMMARY_KEYS = (
    "api_url",
    "demo_page_url",
    "dashboard_url",
    "widget_key",
    "dashboard_email",
    "dashboard_password",
)


def _check_port_free(port: int) -> None:
    _hold_port(port).close()


def _hold_port(port: int) -> socket.socket:
    """A socket bound to 127.0.0.1:PORT, for a server to listen on later."""
    try:
        return bound_tcp_socket("127.0.0.1", port)
    except OSError:
        raise ConfigurationError(f"port {port} is in use; pick another with --port") from None


def demo(
    port: Annotated[
        int,
        typer.Option(
            "--port", help="API port; the storefront uses the next one.", min=1, max=65534
        ),
    ] = 8800,
    data_dir: DataDirOption = None,
) -> None:
    """Run Shopbot with a demo store, bot and storefront page (no Docker, no network)."""
    from cli.asgi import build_app
    from cli.demo.setup import DemoState, ensure_demo, write_demo_json
    from cli.demo.store import build_demo_store
    from cli.demo.storefront import build_storefront
    from cli.services import build_services
    from core.background.celery_app import configure_celery
    from core.runtime import open_runtime

    settings = settings_for(data_dir)
    _check_port_free(port)
    # Held from now on: the storefront starts after the first sync (a minute or so), and
    # meanwhile any outgoing connection may take a free port as its own local port.
    storefront_socket = _hold_port(port + 1)
    api_url = f"http://127.0.0.1:{port}"
    storefront_url = f"http://localhost:{port + 1}"
    settings = _demo_settings(settings, api_url, port)
    configure_celery(settings)

    async def _demo() -> None:
        async with open_runtime(settings, run_migrations=True) as runtime:
            services = await build_services(runtime)
            api_server = storefront_server = None
            try:
                app = build_app(runtime, services)
                store = build_demo_store(f"{api_url}/demo-store")
                app.mount("/demo-store", store.asgi_app)
                api_server = _server(app, port)
                api_task = asyncio.create_task(api_server.serve())
                await _wait_started(api_server, api_task)

                origins = [storefront_url, f"http://127.0.0.1:{port + 1}"]
                state_path = settings.data_dir / "demo.json"
                state, created = await ensure_demo(
                    runtime, DemoState.load(state_path), api_url=api_url, storefront_origins=origins
                )
                await _first_sync(
                    runtime, services, state, mode="full" if created else "incremental"
                )

                storefront = build_storefront(
                    store.catalog.products, api_url=api_url, widget_key=state.widget_key
                )
                storefront_server = _server(storefront, port + 1, host="127.0.0.1")
                storefront_task = asyncio.create_task(
                    storefront_server.serve(sockets=[storefront_socket])
                )
                await _wait_started(storefront_server, storefront_task)

                summary = write_demo_json(
                    state_path, state, api_url=api_url, demo_page_url=f"{storefront_url}/"
                )
                _print_summary(summary, state_path)
                await asyncio.wait({api_task, storefront_task}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for server in (storefront_server, api_server):
                    if server is not None:
                        server.should_exit = True
                await asyncio.sleep(0.2)
                await services.close()

    with storefront_socket, contextlib.suppress(KeyboardInterrupt):
        run_async(_demo, loop=settings.event_loop)
    console.print("Demo stopped.")


def _demo_settings(settings: Settings, api_url: str, port: int) -> Settings:
    """Embedded defaults throughout: in-process queue, cache and rate limits, even when the
    shell happens to export a REDIS_URL. The demo store is served over plain http on
    127.0.0.1 by this same server: the outbound guard is told so explicitly (that host and
    port only), as nothing else is ever allowed by default."""
    return settings.model_copy(
        update={
            "public_api_url": api_url,
            "redis_url": None,
            "outbound_allow_http": True,
            "outbound_allowed_hosts": "127.0.0.1",
            "outbound_allowed_ports": str(port),
        }
    )


def _server(app, port: int, host: str = "127.0.0.1") -> uvicorn.Server:
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    )
    return server


async def _wait_started(server: uvicorn.Server, task: asyncio.Task) -> None:
    for _ in range(STARTUP_TIMEOUT_S * 20):
        if server.started:
            return
        if task.done():
            task.result()  # raises the server's start-up error
            raise ConfigurationError("the server stopped during start-up")
        await asyncio.sleep(0.05)
    raise ConfigurationError("the server did not start in time")


async def _first_sync(runtime, services, state: DemoState, *, mode: str) -> None:
    from cli.sync_commands import RichSyncProgress
    from core.ids import TenantId
    from core.outbound import policy_from_settings
    from ingestion.sync.service import run_sync

    err_console.print(f"Syncing the demo store ({mode})…")
    with RichSyncProgress() as bar:
        record = await run_sync(
            runtime.db,
            TenantId(uuid.UUID(state.tenant_id)),
            uuid.UUID(state.store_id),
            mode=mode,
            secret_box=runtime.secrets.secret_box,
            embedder=services.embedder,
            progress=bar,
            outbound=policy_from_settings(runtime.settings),
        )
    counts = record.counts
    err_console.print(
        f"{record.status}: {counts.seen} products seen, {counts.created} created, "
        f"{counts.updated} updated, {counts.unchanged} unchanged, {counts.chunks_written} chunks"
    )


def _print_summary(summary: dict[str, str], path) -> None:
    console.print("\n[bold green]Shopbot demo is running.[/] Press Ctrl-C to stop.\n")
    for key in SUMMARY_KEYS:
        console.print(f"  {key:<19} {summary[key]}", soft_wrap=True)
    console.print(f"\n  (also written to {path})")
    console.print(
        f'  Try: open {summary["demo_page_url"]} and ask "do you have anything under $30?"'
    )
    console.print(
        f"  The merchant dashboard: open {summary['dashboard_url']} and sign in with "
        "dashboard_email and dashboard_password"
    )
