"""The code's own rules, checked by the suite: ruff (lint and format), mypy (strict on core and
engine, checked elsewhere; settings in pyproject.toml), no blanket ignores, and the size
limits that keep files and functions readable."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 80
# Alembic revisions are schema snapshots written once (the first one is generated from the
# models) and never edited; tests are held to ruff and mypy but not to the size limits.
SIZE_EXEMPT = ("tests/", "alembic/versions/")


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / command[0]), *command[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _tracked_python_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [path for path in listed if (ROOT / path).exists()]


def _application_files() -> list[str]:
    return [path for path in _tracked_python_files() if not path.startswith(SIZE_EXEMPT)]


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_leaves_every_file_as_it_is() -> None:
    result = _run("ruff", "format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_blanket_ignores() -> None:
    config = (ROOT / "pyproject.toml").read_text()
    for blanket in ("ignore_errors", "disable_error_code", "per-file-ignores", "extend-ignore"):
        assert blanket not in config, f"pyproject.toml turns checks off wholesale: {blanket}"
    # A suppression must name what it suppresses; whole-file switches are not allowed.
    bare = re.compile(r"#\s*(noqa(?!:)|type:\s*ignore(?!\[)|ruff:\s*noqa|mypy:\s*ignore-errors)")
    offenders = [
        f"{path}:{number}"
        for path in _tracked_python_files()
        for number, line in enumerate((ROOT / path).read_text().splitlines(), start=1)
        if bare.search(line)
    ]
    assert offenders == []


def test_no_application_file_is_over_the_limit() -> None:
    long_files = {
        path: count
        for path in _application_files()
        if (count := len((ROOT / path).read_text().splitlines())) > MAX_FILE_LINES
    }
    assert long_files == {}


def _string_lines(node: ast.AST) -> set[int]:
    """Lines inside multi-line string literals (SQL text, templates), which do not count."""
    lines: set[int] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            end = child.end_lineno or child.lineno
            if end > child.lineno:
                lines.update(range(child.lineno, end + 1))
    return lines


def function_lengths(source: str) -> dict[str, int]:
    """Each function's length in lines, without the lines of its multi-line strings."""
    lengths: dict[str, int] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            span = set(range(node.lineno, (node.end_lineno or node.lineno) + 1))
            # The docstring is prose, not code: it counts like any other line.
            docstring = node.body[0] if ast.get_docstring(node) is not None else None
            strings = _string_lines(node) - (_string_lines(docstring) if docstring else set())
            lengths[f"{node.name}:{node.lineno}"] = len(span - strings)
    return lengths


def test_the_function_length_rule_skips_only_string_text() -> None:
    source = "def f():\n" + "    x = 1\n" * 81
    assert function_lengths(source) == {"f:1": 82}
    sql = 'def g():\n    return """\n' + "    SELECT 1\n" * 100 + '    """\n'
    assert function_lengths(sql) == {"g:1": 1}


def test_no_function_is_over_the_limit() -> None:
    long_functions = [
        f"{path}:{name} ({length} lines)"
        for path in _application_files()
        for name, length in function_lengths((ROOT / path).read_text()).items()
        if length > MAX_FUNCTION_LINES
    ]
    assert long_functions == []
