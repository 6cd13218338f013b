"""`shopbot eval sweep --suite NAME [--grid FILE]`: every grid point answers the whole suite;
each point is reported on the train and the held-out test conversations, the best is chosen
on train (evals.answers.sweep). results.json holds the "sweep" block, and as its turns and
metrics the best point's run on the test conversations only: the numbers to quote."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.context import run_async, settings_for
from cli.output import console, err_console, fail

if TYPE_CHECKING:
    from core.settings import Settings
    from evals.answers.config import EvalConfig
    from evals.answers.records import Suite
    from evals.answers.sweep import GridPoint


@dataclass(frozen=True, slots=True)
class SweepOptions:
    suite: str
    grid: Path | None
    config: Path | None
    out: Path | None
    limit: int | None
    rebuild: bool
    data_dir: Path | None


def sweep_command(options: SweepOptions) -> None:
    from cli.eval_answers.run_command import SuiteRunOptions, default_out_dir, load_inputs
    from cli.eval_answers.tables import print_overall
    from core.errors import ConfigurationError
    from evals.answers.config import ConfigError
    from evals.answers.html_report import write_html
    from evals.answers.results import write_results
    from evals.answers.sweep import grid_points, load_grid

    suite, config, _ = load_inputs(
        SuiteRunOptions(
            options.suite, options.config, None, None, 0.0, options.limit, options.rebuild, None
        )
    )
    try:
        grid = load_grid(options.grid)
        points = grid_points(grid, config)
    except ConfigError as exc:
        fail(str(exc), code=2)
    settings = settings_for(options.data_dir)
    try:
        results = run_async(
            lambda: _sweep(settings, suite, config, grid, points, rebuild=options.rebuild)
        )
    except (ConfigError, ConfigurationError) as exc:
        fail(str(exc), code=2)
    out_dir = options.out or default_out_dir(f"{suite.name}-sweep")
    results_path = write_results(results, out_dir)
    report_path = write_html(results, out_dir / "report.html")
    _print_points(results["sweep"])
    console.print("The best point on the held-out test conversations:")
    print_overall(results, console)
    console.print(f"Results: {results_path}  Report: {report_path}")


async def _sweep(
    settings: Settings,
    suite: Suite,
    base: EvalConfig,
    grid: dict[str, list[Any]],
    points: list[GridPoint],
    *,
    rebuild: bool,
) -> dict[str, Any]:
    from cli.eval_answers.harness import run_pass
    from core.runtime import open_runtime
    from engine.embeddings import embedder_from_settings
    from evals.answers.config import config_hash
    from evals.answers.results import RunInfo, build_results
    from evals.answers.sweep import point_json, split_turns, sweep_json

    embedder = embedder_from_settings(settings)
    started_at, started = datetime.now(UTC), time.perf_counter()
    rows, test_runs = [], []
    rebuilt: set[tuple[int, int]] = set()
    async with open_runtime(settings, run_migrations=True) as runtime:
        for number, point in enumerate(points, start=1):
            chunking = point.config.chunk_sizes(embedder.space.name)
            label = f"point {number}/{len(points)} {_label(point.params)}"
            done = await run_pass(
                runtime,
                embedder,
                suite,
                point.config,
                rebuild=rebuild and chunking not in rebuilt,
                label=label,
            )
            rebuilt.add(chunking)
            train, test = split_turns(done.turns, suite.conversations)
            rows.append(point_json(point.params, train, test))
            test_runs.append(test)
    swept = sweep_json(grid, rows)
    best = points[rows.index(swept["best"])]
    resolved = best.config.resolved(embedder.space.name)
    info = RunInfo(
        config=resolved,
        config_hash=config_hash(resolved),
        started_at=started_at.isoformat(timespec="seconds"),
        duration_s=time.perf_counter() - started,
        judge_model=base.judge.model if base.judge else None,
    )
    return build_results(suite, test_runs[rows.index(swept["best"])], info, sweep=swept)


def _label(params: dict[str, Any]) -> str:
    return " ".join(f"{k}={v}" for k, v in params.items())


def _print_points(swept: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title=f"sweep: {swept['objective']}", title_justify="left")
    for column in ("point", "train objective", "test objective", ""):
        table.add_column(column, justify="left" if column in ("point", "") else "right")
    for point in swept["points"]:
        table.add_row(
            _label(point["params"]),
            f"{point['train']['objective']:.3f}",
            f"{point['test']['objective']:.3f}",
            "best" if point is swept["best"] else "",
        )
    console.print(table)
    err_console.print("[dim]Every point's train and test means are in results.json.[/]")
