"""`shopbot` (cli.main.run) exits with the code a command asks for: click, run without its
standalone mode, returns a command's `typer.Exit(code)` instead of exiting with it, and
`eval run`'s regression exit (3) is what CI reads."""

from __future__ import annotations

import subprocess
import sys

_EXITS_WITH = """
import sys, typer
from cli.main import app, run

@app.command("exit-with")
def exit_with(code: int) -> None:
    raise typer.Exit(code)

sys.argv = ["shopbot", "exit-with", sys.argv[1]]
run()
"""


def _exit_code(code: int) -> int:
    return subprocess.run(
        [sys.executable, "-c", _EXITS_WITH, str(code)], capture_output=True, timeout=120
    ).returncode


def test_a_commands_exit_code_reaches_the_shell() -> None:
    assert _exit_code(3) == 3
    assert _exit_code(0) == 0
