"""Eval reports: a JSON file (the record), a Rich table (for people), an SVG chart, and a
comparison against a saved report.

The JSON keeps every item's ranks, so a comparison against a baseline is paired: the
same questions on both sides, a bootstrap interval on the difference. A metric is a
**regression** when it dropped by at least the tolerance *and* the paired interval lies
wholly below zero (or, when the two reports share no items, by the tolerance alone).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from evals.metrics import HEADLINE, METRICS, Estimate, paired_delta, per_item_scores
from evals.runners.retrieval import RetrievalEval

SCHEMA = "shopbot.eval.retrieval/1"
DEFAULT_TOLERANCE = 0.01


def build_report(
    result: RetrievalEval, *, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    runs = []
    for run in result.runs:
        runs.append(
            {
                "name": run.name,
                "scope": run.scope,
                "config": run.config,
                "settings": run.settings,
                "metrics": {name: estimate.as_dict() for name, estimate in run.metrics().items()},
                "latency_ms": run.latency_ms(),
                "items": {o.item_id: list(o.ranks) for o in run.outcomes},
            }
        )
    return {
        "schema": SCHEMA,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "dataset": result.dataset,
        "store": result.store,
        "random_baseline": {"page": {k: round(v, 4) for k, v in result.random_page.items()}},
        "runs": runs,
        "sweep": [
            {"settings": p.settings, "metrics": {k: round(v, 4) for k, v in p.metrics.items()}}
            for p in sorted(result.sweep, key=lambda p: -p.metrics["mrr"])
        ],
        **dict(extra or {}),
    }


def load_report(path: Path) -> dict[str, Any]:
    try:
        report = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read baseline report {path}: {exc}") from exc
    if report.get("schema") != SCHEMA:
        raise ValueError(f"{path} is not a retrieval eval report (schema {report.get('schema')!r})")
    return report


def _scores(items: Mapping[str, list[int | None]], ids: list[str]) -> dict[str, list[float]]:
    return per_item_scores([tuple(items[i]) for i in ids])


def compare(
    report: Mapping[str, Any], baseline: Mapping[str, Any], *, tolerance: float = DEFAULT_TOLERANCE
) -> dict[str, Any]:
    """Deltas (report - baseline) for every run both reports have."""
    base_runs = {r["name"]: r for r in baseline.get("runs", [])}
    same_dataset = report["dataset"].get("fingerprint") == baseline.get("dataset", {}).get(
        "fingerprint"
    )
    rows = []
    for run in report["runs"]:
        before = base_runs.get(run["name"])
        if before is None:
            continue
        shared = sorted(set(run["items"]) & set(before["items"]))
        after_scores = _scores(run["items"], shared) if shared else {}
        before_scores = _scores(before["items"], shared) if shared else {}
        metrics = {}
        for name in METRICS:
            delta = run["metrics"][name]["value"] - before["metrics"][name]["value"]
            interval = paired_delta(after_scores[name], before_scores[name]) if shared else None
            metrics[name] = {
                "before": before["metrics"][name]["value"],
                "after": run["metrics"][name]["value"],
                "delta": round(delta, 4),
                "paired": interval.as_dict() if interval else None,
                "status": _status(delta, interval, tolerance),
            }
        rows.append({"name": run["name"], "shared_items": len(shared), "metrics": metrics})
    regressions = [
        f"{row['name']} {name}"
        for row in rows
        for name in HEADLINE
        if row["metrics"][name]["status"] == "regression"
    ]
    return {
        "baseline_created_at": baseline.get("created_at"),
        "same_dataset": same_dataset,
        "tolerance": tolerance,
        "runs": rows,
        "regressions": regressions,
        "regression": bool(regressions),
    }


def _status(delta: float, interval: Estimate | None, tolerance: float) -> str:
    if delta <= -tolerance and (interval is None or interval.high < 0):
        return "regression"
    if delta >= tolerance and (interval is None or interval.low > 0):
        return "improved"
    if abs(delta) < 1e-9:
        return "same"
    return "within noise"


def write_report(report: Mapping[str, Any], out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "report.json"
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return path


# --- people ------------------------------------------------------------------------


def _short(value: float, sign: bool = False) -> str:
    """0.354 → ".35", -0.017 → "-.02": intervals fit under their value in 80 columns."""
    text = f"{value:+.2f}" if sign else f"{value:.2f}"
    return text.replace("0.", ".", 1)


def _cell(metric: Mapping[str, float]) -> str:
    return f"{metric['value']:.3f}\n[dim]{_short(metric['low'])}–{_short(metric['high'])}[/]"


def _table(title: str) -> Table:
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)


def render(report: Mapping[str, Any], console: Console) -> None:
    data = report["dataset"]
    title = (
        f"Retrieval eval: {data['name']} ({data['subset']}), {data['items']} questions, "
        f"{data['products']} products, {data['pieces']} chunks, {data['embedding_space']}"
    )
    table = _table(title)
    for column in ("run", "Hit@1", "Hit@5", "MRR", "R@5", "nDCG@5", "ms"):
        table.add_column(column, justify="left" if column == "run" else "right", no_wrap=True)
    for run in report["runs"]:
        m = run["metrics"]
        table.add_row(
            run["name"],
            _cell(m["hit@1"]),
            _cell(m["hit@5"]),
            _cell(m["mrr"]),
            f"{m['recall@5']['value']:.3f}",
            f"{m['ndcg@5']['value']:.3f}",
            f"{run['latency_ms']['p50']:.1f}",
        )
    rnd = report["random_baseline"]["page"]
    table.add_row(
        "[dim]page/random order[/]",
        f"{rnd['hit@1']:.3f}",
        f"{rnd['hit@5']:.3f}",
        f"{rnd['mrr']:.3f}",
        f"{rnd['recall@5']:.3f}",
        f"{rnd['ndcg@5']:.3f}",
        "",
    )
    console.print(table)
    console.print("[dim]Below each value: its 95% bootstrap interval over questions.[/]")
    console.print(
        f"[dim]page: mean {data['mean_page_size']} chunks per page; catalogue: the question's "
        "product among "
        f"{data['products']} (top 10). Store "
        f"{'reused' if report['store'].get('reused') else 'built'} "
        f"(tenant {report['store'].get('tenant_id')}). ms: median per question; the first run's "
        "includes query embedding, "
        "later runs hit the query cache.[/]"
    )
    if report.get("sweep"):
        _render_sweep(report["sweep"], console)
    if report.get("comparison"):
        render_comparison(report["comparison"], console)


def _render_sweep(points: list[Mapping[str, Any]], console: Console, limit: int = 10) -> None:
    table = _table(f"Sweep (page scope), best {min(limit, len(points))} of {len(points)} by MRR")
    for column in ("fusion", "vector_w", "text_w", "rrf_k", "candidates", "Hit@1", "Hit@5", "MRR"):
        table.add_column(column, justify="right")
    for point in points[:limit]:
        s, m = point["settings"], point["metrics"]
        table.add_row(
            s.get("fusion", "rrf"),
            f"{s['vector_weight']:g}",
            f"{s['text_weight']:g}",
            str(s["rrf_k"]) if s.get("fusion") == "rrf" else "-",
            str(s["candidates"]),
            f"{m['hit@1']:.3f}",
            f"{m['hit@5']:.3f}",
            f"{m['mrr']:.3f}",
        )
    console.print(table)
    console.print(
        "[dim]Chosen on the same questions it is scored on: expect the best point to be "
        "optimistic.[/]"
    )


def render_comparison(comparison: Mapping[str, Any], console: Console) -> None:
    table = _table(f"Against the baseline of {comparison.get('baseline_created_at')}")
    for column in ("run", *(f"Δ {name}" for name in HEADLINE), "status"):
        table.add_column(
            column, justify="left" if column in {"run", "status"} else "right", no_wrap=True
        )
    for row in comparison["runs"]:
        statuses = {row["metrics"][n]["status"] for n in HEADLINE}
        status = (
            "REGRESSION"
            if "regression" in statuses
            else ("improved" if "improved" in statuses else "ok")
        )
        cells = []
        for name in HEADLINE:
            metric = row["metrics"][name]
            paired = metric["paired"]
            interval = (
                f"\n[dim]{_short(paired['low'], True)}…{_short(paired['high'], True)}[/]"
                if paired
                else ""
            )
            colour = {"regression": "red", "improved": "green"}.get(metric["status"], "")
            value = f"{metric['delta']:+.3f}"
            cells.append((f"[{colour}]{value}[/]" if colour else value) + interval)
        table.add_row(
            row["name"], *cells, f"[bold red]{status}[/]" if status == "REGRESSION" else status
        )
    console.print(table)
    if not comparison["same_dataset"]:
        console.print(
            "[yellow]The baseline was built from a different dataset or subset; only shared "
            "questions are paired.[/]"
        )
    if comparison["regression"]:
        console.print(
            f"[bold red]REGRESSION[/] in {', '.join(comparison['regressions'])} "
            f"(drop ≥ {comparison['tolerance']} with a paired 95% interval below 0)."
        )
    else:
        console.print("[green]No regression against the baseline.[/]")


# --- chart -------------------------------------------------------------------------

_COLOURS = {"vector": "#4C78A8", "text": "#F58518", "hybrid": "#54A24B", "hybrid-rrf": "#B279A2"}


def write_svg(report: Mapping[str, Any], path: Path) -> Path:
    """Grouped bars of Hit@1, Hit@5 and MRR per ranker and scope with 95% intervals, and the
    random-order floor of the page scope as a dashed line. Hand-written SVG: matplotlib is
    not a dependency of the project."""
    runs = report["runs"]
    scopes = list(dict.fromkeys(r["scope"] for r in runs))
    configs = list(dict.fromkeys(r["config"] for r in runs))
    bar, gap, group_gap, height, top, left = 16, 3, 28, 260, 40, 50
    groups = [(scope, metric) for scope in scopes for metric in HEADLINE]
    group_width = len(configs) * (bar + gap) + group_gap
    width = left + len(groups) * group_width + 20

    def y(value: float) -> float:
        return top + height * (1 - value)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{top + height + 90}" font-family="sans-serif" font-size="11">',
        f'<text x="{left}" y="20" font-size="13">{_esc(report["dataset"]["name"])} retrieval eval '
        f"({report['dataset']['items']} questions)</text>",
    ]
    for tick in range(0, 11, 2):
        v = tick / 10
        parts.append(
            f'<line x1="{left}" x2="{width - 20}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>'
        )
        parts.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.1f}</text>')
    by_key = {(r["scope"], r["config"]): r for r in runs}
    for g, (scope, metric) in enumerate(groups):
        x0 = left + g * group_width + group_gap / 2
        for c, config in enumerate(configs):
            run = by_key.get((scope, config))
            if run is None:
                continue
            m = run["metrics"][metric]
            x = x0 + c * (bar + gap)
            parts.append(
                f'<rect x="{x:.1f}" y="{y(m["value"]):.1f}" width="{bar}" '
                f'height="{height * m["value"]:.1f}" fill="{_COLOURS.get(config, "#888")}">'
                f"<title>{_esc(scope)} {_esc(config)} {metric} {m['value']:.3f}</title></rect>"
            )
            cx = x + bar / 2
            parts.append(
                f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(m["low"]):.1f}" '
                f'y2="{y(m["high"]):.1f}" stroke="#222"/>'
            )
        if scope == "page":
            floor = report["random_baseline"]["page"][metric]
            x1 = x0 + len(configs) * (bar + gap)
            parts.append(
                f'<line x1="{x0 - 4:.1f}" x2="{x1:.1f}" y1="{y(floor):.1f}" y2="{y(floor):.1f}" '
                'stroke="#c00" stroke-dasharray="4 3"/>'
            )
        label_x = x0 + len(configs) * (bar + gap) / 2
        parts.append(
            f'<text x="{label_x:.1f}" y="{top + height + 16}" text-anchor="middle">{metric}</text>'
        )
        parts.append(
            f'<text x="{label_x:.1f}" y="{top + height + 30}" text-anchor="middle" '
            f'fill="#555">{_esc(scope)}</text>'
        )
    legend_y = top + height + 52
    for c, config in enumerate(configs):
        x = left + c * 120
        parts.append(
            f'<rect x="{x}" y="{legend_y}" width="12" height="12" '
            f'fill="{_COLOURS.get(config, "#888")}"/>'
        )
        parts.append(f'<text x="{x + 16}" y="{legend_y + 10}">{_esc(config)}</text>')
    parts.append(
        f'<text x="{left + len(configs) * 120}" y="{legend_y + 10}" fill="#c00">'
        "- - random order (page)</text>"
    )
    parts.append("</svg>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts) + "\n")
    return path


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
