"""The `shopbot` command. This package is the composition root: the only code that may
import `api`, `dashboard_api` and `evals` (to serve and run them)."""

from __future__ import annotations

import logging
import os
import sys

import typer
from pydantic import ValidationError
from typer.exceptions import TyperException

# Typer builds every command (from its signature) on each run, so these modules are imported
# by every `shopbot` call, `--help` included: each imports its heavy dependencies (the
# answer engine, the APIs, the evals, the database) inside its commands, and start-up stays
# ~1 s (tests/cli/test_cli_startup.py).
from cli import (
    db_commands,
    eval_commands,
    plan_commands,
    secrets_commands,
    store_commands,
    sync_commands,
    tenant_commands,
)
from cli.ask_command import ask
from cli.demo.command import demo
from cli.openapi_command import openapi
from cli.output import fail, fail_with_lines
from cli.serve_commands import serve
from cli.worker_commands import beat, worker
from core.deployment import ProductionNotReady
from core.errors import AppError
from core.observability.logs import configure_logging
from core.settings import get_settings

app = typer.Typer(
    name="shopbot",
    help="Shopbot: an AI shopping assistant for WooCommerce stores.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db_commands.app, name="db")
app.add_typer(tenant_commands.app, name="tenants")
app.add_typer(plan_commands.app, name="plans")
app.command("ask")(ask)
app.command("serve")(serve)
app.command("demo")(demo)
app.add_typer(store_commands.app, name="stores")
app.command("sync")(sync_commands.sync)
app.command("worker")(worker)
app.command("beat")(beat)
app.add_typer(eval_commands.app, name="eval")
app.add_typer(secrets_commands.app, name="secrets")
app.command("openapi")(openapi)


def _quiet_offline_model_loading() -> None:
    # The bundled model loads from site-packages: no hub calls, and no progress bars
    # interleaved with streamed answers.
    for name, value in (
        ("HF_HUB_OFFLINE", "1"),
        ("TRANSFORMERS_OFFLINE", "1"),
        ("HF_HUB_DISABLE_PROGRESS_BARS", "1"),
        ("TRANSFORMERS_VERBOSITY", "error"),
        ("TOKENIZERS_PARALLELISM", "false"),
    ):
        os.environ.setdefault(name, value)


def _configure_cli_logging() -> None:
    """Interactive commands log warnings as text unless `SHOPBOT_LOG_LEVEL` or
    `SHOPBOT_LOG_FORMAT` is set; `serve`, `worker` and `beat` then apply the full setup
    (core.observability.init_observability)."""
    try:
        settings = get_settings()
    except ValidationError:  # the command that reads the settings reports it
        configure_logging("WARNING", "text")
        return
    level = settings.log_level if "log_level" in settings.model_fields_set else "WARNING"
    configure_logging(level, settings.log_format or "text")


def run() -> None:
    """Entry point: errors become one line on stderr, never a traceback."""
    _quiet_offline_model_loading()
    try:
        _configure_cli_logging()
        # Without standalone mode, click returns a command's `typer.Exit(code)` rather than
        # exiting with it: `eval run`'s regression exit (3) must reach the shell.
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        fail("aborted", code=130)
    except TyperException as exc:  # usage errors: bad or missing options and arguments
        if type(exc).__name__ == "NoArgsIsHelpError":
            sys.exit(0)  # the help text was printed
        fail(f"{exc.format_message()} (see --help)", code=getattr(exc, "exit_code", 2))
    except ProductionNotReady as exc:
        fail_with_lines([f"production: {problem}" for problem in exc.problems], code=1)
    except AppError as exc:
        fail(exc.detail, code=1)
    except KeyboardInterrupt:
        fail("interrupted", code=130)
    except Exception as exc:
        logging.getLogger("shopbot").debug("unexpected error", exc_info=True)
        fail(f"unexpected error: {type(exc).__name__}: {exc}", code=1)


if __name__ == "__main__":
    run()
