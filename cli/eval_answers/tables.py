"""The tables `eval run --suite` prints at the end: every metric overall with its interval,
and against a baseline the deltas with their paired intervals."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

STATUS_STYLE = {"REGRESSION": "bold red", "improved": "green", "ok": ""}


def _number(value: Any, places: int = 3) -> str:
    return "-" if value is None else f"{value:.{places}f}"


def print_overall(results: dict[str, Any], console: Console) -> None:
    suite = results["suite"]
    table = Table(
        title=f"{suite['name']}: {suite['conversations']} conversations, {suite['turns']} turns",
        title_justify="left",
    )
    for column in ("metric", "mean", "95% interval", "n"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for name, report in results["metrics"].items():
        overall = report["overall"]
        table.add_row(
            name,
            _number(overall["value"]),
            f"{_number(overall['low'])} - {_number(overall['high'])}",
            str(overall["n"]),
        )
    console.print(table)
    latency, tokens = results.get("latency") or {}, results.get("tokens") or {}
    cost = tokens.get("cost_usd")
    console.print(
        f"latency p50 {_number(latency.get('p50_ms'), 0)} ms, "
        f"p95 {_number(latency.get('p95_ms'), 0)} ms;"
        f" tokens {tokens.get('prompt', 0)} prompt + {tokens.get('completion', 0)} completion;"
        f" cost {'unknown' if cost is None else f'${cost:.4f}'};"
        f" {results['duration_s']:.1f} s"
    )


# Fixed-width lines: they fit 80 columns, where a table squeezed by the terminal is not read.
_ROW = "{:<18} {:<13} {:>5} {:>5} {:>6} {:>12} {:>3} {}"


def print_comparison(comparison: dict[str, Any], console: Console) -> None:
    console.print(
        f"Against {comparison['baseline']} (tolerance {comparison['tolerance']}):",
        markup=False,
        soft_wrap=True,
    )
    console.print(_ROW.format("metric", "tag", "base", "now", "delta", "paired 95%", "n", ""))
    for row in comparison["rows"]:
        if row["tag"] is not None and row["status"] in ("ok", "few turns"):
            continue  # every tag's row is in results.json; the screen shows what moved
        line = _ROW.format(
            row["metric"][:18],
            (row["tag"] or "(all)")[:13],
            _number(row["baseline"], 2),
            _number(row["current"], 2),
            f"{row['delta']:+.3f}",
            f"{row['low']:+.2f}..{row['high']:+.2f}",
            row["n"],
            row["status"],
        )
        console.print(line, style=STATUS_STYLE.get(row["status"]) or None, markup=False)
    if comparison["regressed"]:
        fallen = sorted(
            {row["tag"] or "(all)" for row in comparison["rows"] if row["status"] == "REGRESSION"}
        )
        console.print(f"[bold red]REGRESSION[/] in: {', '.join(fallen)}")
    else:
        console.print("No regression beyond the tolerance.")
