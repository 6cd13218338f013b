"""One API process: its runtime, services and app, served until a graceful shutdown.

`shopbot serve` runs it in its own process (one worker) or in each worker process
(`--workers N`, cli/supervisor.py); a worker gets the listening socket its parent bound and
settings whose database and keys the parent already settled (migrated once, secrets set).
"""

from __future__ import annotations

import logging
import os
import socket
import sys

import sentry_sdk

from api.dependencies import WIDGET_RUNTIME
from api.health.metrics_port import with_metrics_port
from cli.asgi import build_app
from cli.graceful_server import GracefulServer, server_config
from cli.listening import CAN_SPREAD, bound_tcp_socket
from cli.services import build_services
from core.event_loop import run_loop, running_loop_kind
from core.runtime import open_runtime
from core.settings import Settings

log = logging.getLogger(__name__)

# A worker that ends before it ever served: the supervisor stops instead of restarting it
# (a broken configuration fails the same way every time). The number uvicorn uses too.
STARTUP_FAILURE = 3


async def serve_app(
    settings: Settings,
    *,
    host: str,
    port: int,
    migrate: bool,
    sockets: list[socket.socket] | None = None,
) -> bool:
    """Serve until shut down; False when the server never started (its start-up failed)."""
    log.info("API event loop: %s", running_loop_kind())
    async with open_runtime(settings, run_migrations=migrate) as runtime:
        services = await build_services(runtime)
        try:
            app = build_app(runtime, services)
            config = server_config(with_metrics_port(app, settings), settings, host=host, port=port)
            server = GracefulServer(config, on_shutdown=WIDGET_RUNTIME.get(app).shutdown.begin)
            await server.serve(sockets=sockets)
            return server.started
        finally:
            await services.close()


def _own_listening_socket(host: str, port: int) -> list[socket.socket]:
    """This worker's own socket in the port's SO_REUSEPORT group (cli.listening: the kernel
    spreads new connections over the group), or none where the kernel cannot. Bound, not
    listening: it joins the group when uvicorn starts serving it (asyncio listens then), so
    no connection waits on a worker still opening its runtime."""
    if not CAN_SPREAD:
        return []
    return [bound_tcp_socket(host, port, spread=True)]


def run_worker(settings: Settings, listening: socket.socket, index: int) -> None:
    """A worker process's entry point (spawned: a fresh interpreter, so logging again)."""
    from core.observability import init_observability

    init_observability(settings, component="api")
    host, port = listening.getsockname()[:2]
    log.info("API worker %d starting (pid %d)", index, os.getpid())
    sockets = [listening, *_own_listening_socket(host, port)]
    try:
        started = run_loop(
            lambda: serve_app(settings, host=host, port=port, migrate=False, sockets=sockets),
            settings.event_loop,
        )
    except KeyboardInterrupt:  # a second Ctrl-C in the terminal: the parent handles it
        started = True
    except Exception:
        log.exception("API worker %d failed", index)
        sys.exit(1)  # restarted by the supervisor (which stops a worker that keeps failing)
    if not started:
        sys.exit(STARTUP_FAILURE)
    log.info("API worker %d stopped (pid %d)", index, os.getpid())
    # The runtime is closed and every stream ended. What is left is the interpreter tearing
    # down a large module graph: seconds on a busy machine, inside the parent's shutdown
    # budget, for nothing. Error reports still queued and the log lines go out first.
    sentry_sdk.flush(timeout=2)
    logging.shutdown()
    os._exit(0)
