"""summarise and metrics_json: each metric's mean over the turns it applies to, overall and
per tag, with a 95 % percentile-bootstrap interval (evals.metrics.bootstrap_means, 1,000
resamples, seed 0: the same scores always give the same interval)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from evals.answers.metrics.scoring import METRIC_NAMES
from evals.answers.records import Measured, MetricReport, TurnResult
from evals.metrics import bootstrap_means

RESAMPLES = 1000
SEED = 0


def measure(values: Sequence[float]) -> Measured:
    estimate = bootstrap_means({"m": values}, resamples=RESAMPLES, seed=SEED)["m"]
    return Measured(estimate, len(values))


def ordered_metric_names(names: set[str]) -> list[str]:
    known = [name for name in METRIC_NAMES if name in names]
    return known + sorted(names - set(METRIC_NAMES))


def summarise(results: Sequence[TurnResult]) -> dict[str, MetricReport]:
    names = ordered_metric_names({name for r in results for name in r.scores})
    reports: dict[str, MetricReport] = {}
    for name in names:
        scored = [r for r in results if name in r.scores]
        tags = sorted({tag for r in scored for tag in r.tags})
        reports[name] = MetricReport(
            overall=measure([r.scores[name] for r in scored]),
            by_tag={
                tag: measure([r.scores[name] for r in scored if tag in r.tags]) for tag in tags
            },
        )
    return reports


def measured_json(measured: Measured) -> dict[str, Any]:
    return {**measured.estimate.as_dict(), "n": measured.n}


def metrics_json(reports: dict[str, MetricReport]) -> dict[str, Any]:
    """The "metrics" block of results.json."""
    return {
        name: {
            "overall": measured_json(report.overall),
            "by_tag": {tag: measured_json(m) for tag, m in report.by_tag.items()},
        }
        for name, report in reports.items()
    }
