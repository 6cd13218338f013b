"""Report JSON, baseline comparison and the hand-written SVG (no database)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from evals.metrics import summarise
from evals.report import SCHEMA, compare, load_report, render, write_report, write_svg

# Each item's ranks of its relevant pieces; None is a piece the ranker missed.
Items = Mapping[str, Sequence[int | None]]


def _run(name: str, items: Items) -> dict[str, Any]:
    scope, config = name.split("/")
    metrics = summarise([tuple(r) for r in items.values()], resamples=200)
    return {
        "name": name,
        "scope": scope,
        "config": config,
        "settings": {},
        "metrics": {k: v.as_dict() for k, v in metrics.items()},
        "latency_ms": {"p50": 1.0, "p95": 2.0},
        "items": items,
    }


def _report(items: Items) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "created_at": "2026-01-01T00:00:00+00:00",
        "dataset": {
            "name": "hetpqa",
            "subset": "all",
            "fingerprint": "f",
            "items": len(items),
            "products": 3,
            "pieces": 9,
            "mean_page_size": 3.0,
            "embedding_space": "minilm-l6-v2",
        },
        "store": {"tenant_id": "t", "reused": True},
        "random_baseline": {
            "page": {"hit@1": 0.3, "hit@5": 1.0, "mrr": 0.6, "recall@5": 1.0, "ndcg@5": 0.6}
        },
        "runs": [_run("page/hybrid", items)],
    }


GOOD = {str(i): [1] for i in range(40)}
WORSE = {str(i): ([3] if i < 20 else [1]) for i in range(40)}


def test_a_clear_drop_is_flagged_as_a_regression() -> None:
    comparison = compare(_report(WORSE), _report(GOOD))
    metrics = comparison["runs"][0]["metrics"]
    assert metrics["mrr"]["delta"] == pytest.approx(-(20 * (1 - 1 / 3)) / 40, abs=1e-4)
    assert metrics["mrr"]["status"] == "regression"
    assert metrics["hit@5"]["status"] == "same"
    assert comparison["regression"] and "page/hybrid mrr" in comparison["regressions"]


def test_a_small_noisy_difference_is_not_a_regression() -> None:
    slightly = {**GOOD, "0": [2]}
    comparison = compare(_report(slightly), _report(GOOD))
    assert comparison["runs"][0]["metrics"]["mrr"]["status"] == "within noise"
    assert not comparison["regression"]
    assert (
        compare(_report(GOOD), _report(WORSE))["runs"][0]["metrics"]["mrr"]["status"] == "improved"
    )


def test_report_files_round_trip_and_render(tmp_path: Path) -> None:
    report = _report(GOOD)
    path = write_report(report, tmp_path / "out")
    assert load_report(path)["runs"][0]["items"]["0"] == [1]
    svg = write_svg(report, tmp_path / "out" / "report.svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg") and len(root.findall("{http://www.w3.org/2000/svg}rect")) >= 3
    console = Console(record=True, width=80)
    report["comparison"] = compare(_report(WORSE), report)
    render(report, console)
    text = console.export_text()
    assert (
        "page/hybrid" in text
        and "random order" in text
        and "REGRESSION" not in text.split("Against")[0]
    )
    (tmp_path / "bad.json").write_text(json.dumps({"schema": "other"}))
    with pytest.raises(ValueError):
        load_report(tmp_path / "bad.json")
