"""Console output helpers: Rich for people, plain JSON for machines."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from rich.console import Console
from rich.markup import escape

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def fail(message: str, *, code: int = 1) -> NoReturn:
    # The message is text, not markup: "[retrieval] key ..." must print as written.
    first_line = escape(" ".join(str(message).split()))
    err_console.print(f"[bold red]shopbot: error:[/] {first_line}", soft_wrap=True)
    sys.exit(code)


def fail_with_lines(messages: list[str], *, code: int = 1) -> NoReturn:
    """Several independent problems (each missing production setting): one line each."""
    for message in messages:
        line = escape(" ".join(str(message).split()))
        err_console.print(f"[bold red]shopbot: error:[/] {line}", soft_wrap=True)
    sys.exit(code)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, default=str) + "\n")
    sys.stdout.flush()
