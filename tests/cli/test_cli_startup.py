"""`shopbot` starts without importing what its commands use: typer builds every command on
each run, so a command module imports its heavy dependencies (the answer engine, the APIs,
the evals, the database models) inside the command. Many tests run `shopbot` as a
subprocess; each start-up used to pay ~4 s for all of them."""

from __future__ import annotations

import json
import subprocess
import sys

from cli import eval_commands
from evals.report import DEFAULT_TOLERANCE

# Packages only a running command needs (the answer engine and model clients, the HTTP
# apps and server, the evals, the database layer).
COMMAND_ONLY = (
    "api",
    "dashboard_api",
    "engine",
    "evals",
    "ingestion",
    "openai",
    "sqlalchemy",
    "stripe",
    "torch",
    "uvicorn",
)

_LOADED_AFTER_HELP = """
import json, sys
sys.argv = ["shopbot", "--help"]
from cli.main import run
try:
    run()
except SystemExit:
    pass
sys.stderr.write(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_help_builds_every_command_without_importing_their_dependencies() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _LOADED_AFTER_HELP],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Usage" in result.stdout and "tenants" in result.stdout, result.stdout
    loaded = set(json.loads(result.stderr.splitlines()[-1]))
    assert not loaded & set(COMMAND_ONLY), sorted(loaded & set(COMMAND_ONLY))


def test_eval_run_tolerance_default_is_the_reports() -> None:
    # Written out in cli/eval_commands.py so that --help needs no evals import.
    assert eval_commands.DEFAULT_TOLERANCE == DEFAULT_TOLERANCE
