"""The import directions of DESIGN.md, enforced by import-linter (contracts in pyproject)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_contracts_have_no_ignores() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert text.count("ignore_imports = []") == text.count("[[tool.importlinter.contracts]]")
