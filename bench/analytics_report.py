"""The analytics bench's printed tables: the load, every analytics call's latency against
the 200 ms goal with the raw-SQL baseline's ratio, and retention (purge rate, exactness,
chat latency during the purge against without it)."""

from __future__ import annotations

import os
from datetime import UTC
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.analytics_data import Loaded
from bench.analytics_measure import Row, Timing
from bench.analytics_retention import Retention

GOAL_P95_MS = 200.0


def _console() -> Console:
    return Console(width=max(120, Console().width))


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f}/{five:.1f}/{fifteen:.1f}"


def _ms(value: float) -> str:
    return f"{value:.1f}" if value < 1000 else f"{value:,.0f}"


def load_table(
    names: list[str], loaded: list[Loaded], vacuum_s: float, sizes: dict[str, str]
) -> Table:
    table = Table(
        title="the load (INSERT ... SELECT inside PostgreSQL, owner role, RLS tenant set)",
        title_justify="left",
    )
    table.add_column("tenant")
    table.add_column("stage")
    table.add_column("rows", justify="right")
    table.add_column("seconds", justify="right")
    table.add_column("rows/s", justify="right")
    for name, result in zip(names, loaded, strict=True):
        for stage, seconds in result.seconds.items():
            rows = result.rows.get(stage, 0)
            rate = f"{rows / seconds:,.0f}" if rows and seconds else ""
            table.add_row(name, stage, f"{rows:,}" if rows else "", f"{seconds:.1f}", rate)
        total = result.total_rows / result.total_seconds if result.total_seconds else 0
        table.add_row(
            name,
            "[b]total[/b]",
            f"{result.total_rows:,}",
            f"{result.total_seconds:.1f}",
            f"{total:,.0f}",
        )
    table.add_row("both", "VACUUM (ANALYZE)", "", f"{vacuum_s:.1f}", "")
    for name, result in zip(names, loaded, strict=True):
        for note in result.notes:
            table.add_row(name, "clusters", note, "", "")
    table.add_row("both", "sizes", ", ".join(f"{k} {v}" for k, v in sizes.items()), "", "")
    return table


def _raw_p95(raw: Timing | None) -> str:
    """The baseline's p95 over its few runs (its max), or '>20 s' when cut off."""
    if raw is None:
        return "—"
    return raw.failed or f"{_ms(raw.p95)} (n={len(raw.ms)})"


def _ratio(raw: Timing | None, served: Timing) -> str:
    if raw is None:
        return "—"
    bound = "≥ " if raw.failed else ""  # cut off at the timeout: at least this much slower
    return f"{bound}{raw.p95 / served.p95:.2f}×"


def calls_table(rows: list[Row], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column, justify in (
        ("call", "left"),
        ("days", "right"),
        ("bots", "left"),
        ("n", "right"),
        ("p50 ms", "right"),
        ("p95 ms", "right"),
        ("max ms", "right"),
        ("raw SQL p95 ms", "right"),
        ("raw / served", "right"),
        (f"p95 ≤ {GOAL_P95_MS:g} ms", "center"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        if row.served is None:
            table.add_row(row.call, "", "", "", "", "", "", "", "", row.note)
            continue
        served = row.served
        raw = row.baseline
        verdict = "PASS" if served.p95 <= GOAL_P95_MS and not served.failed else "[red]FAIL[/red]"
        if served.failed:
            verdict += f" ({served.failed})"
        table.add_row(
            row.call,
            str(row.days),
            row.scope,
            str(len(served.ms)),
            _ms(served.p50),
            _ms(served.p95),
            _ms(served.max),
            _raw_p95(raw),
            _ratio(raw, served),
            verdict,
        )
    return table


def _chat(label: str, timing: Timing, base: Timing | None) -> list[str]:
    p50, p95 = _ms(timing.p50), _ms(timing.p95)
    if base is not None:
        p50 += f" ({timing.p50 / base.p50:.2f}×)"
        p95 += f" ({timing.p95 / base.p95:.2f}×)"
    return [label, str(len(timing.ms)), p50, p95, _ms(timing.max)]


def retention_tables(result: Retention) -> list[Table]:
    purge = Table(
        title=f"retention {result.days} days: purge of everything older than "
        f"{result.cutoff.astimezone(UTC):%Y-%m-%d %H:%M} UTC (product's clock pinned to the end "
        "of the loaded data) on the one-year set",
        title_justify="left",
    )
    purge.add_column("what")
    for table_name in result.expected:
        purge.add_column(table_name, justify="right")
    purge.add_column("seconds", justify="right")
    purge.add_column("rows/s", justify="right")
    purge.add_row("older, before", *(f"{n:,}" for n in result.expected.values()), "", "")
    if result.failure:
        purge.add_row(
            "[red]product purge FAILED on the data as loaded[/red]",
            result.failure,
            *[""] * (len(result.expected) + 1),
        )
    for purged in (result.purged,):
        if purged is None:
            continue
        rate = f"{purged.total / purged.seconds:,.0f}" if purged.seconds else ""
        label = f"{purged.label}, {purged.batches} batches"
        purge.add_row(
            label,
            *(f"{purged.rows.get(t, 0):,}" for t in result.expected),
            f"{purged.seconds:.1f}",
            rate,
        )
    purge.add_row("older, left after", *(f"{n:,}" for n in result.left_older.values()), "", "")
    purge.add_row(
        "newer, before → after",
        *(f"{result.kept_before[t]:,} → {result.kept_after[t]:,}" for t in result.expected),
        "",
        "",
    )
    created = ", ".join(result.created_indexes) or "none missing"
    purge.add_row(
        f"bench-created FK indexes ({result.index_seconds:.1f} s)",
        created,
        *[""] * (len(result.expected) + 1),
    )
    verdict = "PASS" if result.exact else "[red]FAIL[/red]"
    purge.add_row(
        "exactly the older rows, other tenant untouched",
        verdict,
        *[""] * (len(result.expected) + 1),
    )

    chat = Table(
        title="POST /widget/v1/chat (offline answerer) while purging vs without",
        title_justify="left",
    )
    for column in ("chat", "n", "p50 ms", "p95 ms", "max ms"):
        chat.add_column(column, justify="left" if column == "chat" else "right")
    chat.add_row(*_chat("without a purge (baseline)", result.quiet, None))
    chat.add_row(*_chat("during the purge", result.during, result.quiet))
    return [purge, chat]


def print_report(header: str, tables: list[Any]) -> None:
    console = _console()
    console.print(header)
    for table in tables:
        console.print(table)


class PrintedTables(list[Any]):
    """Tables printed as soon as they are added: a long run cut short (a deadline, a
    failing purge) still leaves the numbers it has measured."""

    def append(self, table: Any) -> None:
        _console().print(table)
        super().append(table)

    def extend(self, tables: Any) -> None:
        for table in tables:
            self.append(table)
