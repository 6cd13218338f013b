"""Running a bench (`python -m bench.<name>`) from a test, at a tiny scale, in a subprocess:
each bench starts and stops servers of its own (an embedded PostgreSQL, a Redis) and sets
its own process environment, neither of which may touch the test session's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_bench(module: str, args: list[str], *, timeout: float, columns: int | None = None) -> str:
    """`python -m <module> <args>` from the repository's root, without this session's
    database or Redis: its standard output, once it exited 0."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["PYTHONPATH"] = str(ROOT)
    if columns is not None:
        env["COLUMNS"] = str(columns)
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout
