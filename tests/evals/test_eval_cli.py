"""`shopbot eval run` end to end against the test database (as DATABASE_URL), on a small
sample: it builds the eval tenant once, reuses it on the next run, writes the report and
compares against a baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from sqlalchemy.engine import URL
from typer.testing import CliRunner

from cli import eval_commands
from core.settings import get_settings


@pytest.fixture
def shopbot(owner_url: URL, monkeypatch: pytest.MonkeyPatch):
    # The lead registers the sub-app in cli/main.py; the test mounts it the same way.
    root = typer.Typer()
    root.add_typer(eval_commands.app, name="eval")
    monkeypatch.setenv("DATABASE_URL", owner_url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(root, list(args), catch_exceptions=False)
    get_settings.cache_clear()


def test_eval_run_builds_reuses_and_compares(shopbot, tmp_path: Path) -> None:
    first = shopbot(
        "eval", "run", "--limit", "8", "--no-catalogue", "--out", str(tmp_path / "a"), "--json"
    )
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert {r["name"] for r in report["runs"]} == {
        "page/vector",
        "page/text",
        "page/hybrid",
        "page/hybrid-rrf",
    }
    assert report["dataset"]["items"] >= 8
    assert json.loads((tmp_path / "a" / "report.json").read_text())["runs"] == report["runs"]
    assert (tmp_path / "a" / "report.svg").read_text().startswith("<svg")

    second = shopbot(
        "eval",
        "run",
        "--limit",
        "8",
        "--no-catalogue",
        "--out",
        str(tmp_path / "b"),
        "--baseline",
        str(tmp_path / "a" / "report.json"),
        "--fail-on-regression",
    )
    assert second.exit_code == 0, second.output
    saved = json.loads((tmp_path / "b" / "report.json").read_text())
    assert saved["store"]["reused"] is True
    assert saved["store"]["tenant_id"] == report["store"]["tenant_id"]
    assert saved["comparison"]["same_dataset"] and not saved["comparison"]["regression"]
    assert "No regression" in second.stdout and "page/hybrid" in second.stdout


def test_eval_run_rejects_bad_input_in_one_line(shopbot, tmp_path: Path) -> None:
    result = shopbot("eval", "run", "--dataset", "nope")
    assert result.exit_code == 2 and "unknown dataset 'nope'" in result.stderr
    (tmp_path / "x.json").write_text("{}")
    result = shopbot("eval", "run", "--baseline", str(tmp_path / "x.json"))
    assert result.exit_code == 2 and "not a retrieval eval report" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
