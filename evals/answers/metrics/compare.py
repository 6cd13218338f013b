"""compare: the "comparison" block of results.json, a run against a baseline run.

Turns are paired by (conversation, index, message) over the turns both runs have (an edited
suite never pairs two different questions), and a metric's
row uses the paired turns where BOTH runs scored it (a metric that did not apply on one
side says nothing about a change). One row per metric overall (tag null) and one per
metric and tag (the current run's tags of the turn).

For each row: baseline and current are the means over those turns, and delta with low/high
is evals.metrics.paired_delta(current, baseline): the mean difference and its 95 %
paired-bootstrap interval (1,000 resamples, seed 0). The status, as in the retrieval
evals' README:
- "REGRESSION": the drop is at least `tolerance` AND the interval lies wholly below zero
  (a drop the turns agree on, not noise);
- "improved": the mirror image (a rise of at least `tolerance`, interval wholly above 0);
- "few turns": fewer than `MIN_PAIRED_TURNS` paired turns (an interval over one or two
  turns is no evidence; such a row is shown and never gates);
- "ok": anything else.
`regressed` is true when any row is a REGRESSION, per-tag rows included (a fall on one
tag fails the run even when the overall mean hides it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evals.answers.metrics.summary import RESAMPLES, SEED, ordered_metric_names
from evals.metrics import mean, paired_delta

TurnKey = tuple[str, int, str]
# Below this many paired turns a row's interval says nothing (one turn's change is an
# interval of a single point): the smoke suite has tags with a handful of turns per metric.
MIN_PAIRED_TURNS = 5


def _turns_by_key(run: Mapping[str, Any]) -> dict[TurnKey, Mapping[str, Any]]:
    return {
        (str(t["conversation"]), int(t["index"]), str(t.get("message", ""))): t
        for t in run.get("turns", [])
    }


def shared_turns(baseline: Mapping[str, Any], current: Mapping[str, Any]) -> int:
    """How many turns the two runs have in common (0: nothing to compare)."""
    return len(_turns_by_key(baseline).keys() & _turns_by_key(current).keys())


def status_of(delta: float, low: float, high: float, tolerance: float) -> str:
    if delta <= -tolerance and high < 0:
        return "REGRESSION"
    if delta >= tolerance and low > 0:
        return "improved"
    return "ok"


def _row(
    metric: str,
    tag: str | None,
    pairs: list[tuple[float, float]],
    tolerance: float,
) -> dict[str, Any]:
    before = [b for b, _ in pairs]
    after = [a for _, a in pairs]
    delta = paired_delta(after, before, resamples=RESAMPLES, seed=SEED)
    return {
        "metric": metric,
        "tag": tag,
        "baseline": round(mean(before), 4),
        "current": round(mean(after), 4),
        "delta": round(delta.value, 4),
        "low": round(delta.low, 4),
        "high": round(delta.high, 4),
        "n": len(pairs),
        "status": status_of(delta.value, delta.low, delta.high, tolerance)
        if len(pairs) >= MIN_PAIRED_TURNS
        else "few turns",
    }


def baseline_label(run: Mapping[str, Any]) -> str:
    suite = run.get("suite") or {}
    name, started = suite.get("name", "?"), run.get("started_at", "?")
    return f"{name} {started} config {run.get('config_hash', '?')}"


def compare(
    baseline: Mapping[str, Any], current: Mapping[str, Any], tolerance: float
) -> dict[str, Any]:
    before_turns = _turns_by_key(baseline)
    shared = [
        (before_turns[key], turn)
        for key, turn in _turns_by_key(current).items()
        if key in before_turns
    ]
    names = ordered_metric_names(
        {name for b, a in shared for name in a.get("scores", {}) if name in b.get("scores", {})}
    )
    rows: list[dict[str, Any]] = []
    for metric in names:
        both = [
            (b, a)
            for b, a in shared
            if metric in b.get("scores", {}) and metric in a.get("scores", {})
        ]
        rows.append(
            _row(
                metric,
                None,
                [(b["scores"][metric], a["scores"][metric]) for b, a in both],
                tolerance,
            )
        )
        for tag in sorted({tag for _, a in both for tag in a.get("tags", [])}):
            tagged = [
                (b["scores"][metric], a["scores"][metric])
                for b, a in both
                if tag in a.get("tags", [])
            ]
            rows.append(_row(metric, tag, tagged, tolerance))
    return {
        "baseline": baseline_label(baseline),
        "tolerance": tolerance,
        "regressed": any(row["status"] == "REGRESSION" for row in rows),
        "rows": rows,
    }
