"""`shopbot eval run --suite NAME`: ask a suite through the widget chat path, score it, write
results.json and report.html, print the overall table; with `--baseline`, the deltas with
paired intervals, exiting 3 on a regression beyond the tolerance."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cli.context import run_async, settings_for
from cli.output import console, fail

if TYPE_CHECKING:
    from core.settings import Settings
    from evals.answers.config import EvalConfig
    from evals.answers.records import Suite

REGRESSION_EXIT_CODE = 3


@dataclass(frozen=True, slots=True)
class SuiteRunOptions:
    suite: str
    config: Path | None
    baseline: Path | None
    out: Path | None
    tolerance: float
    limit: int | None
    rebuild: bool
    data_dir: Path | None
    save_baseline: Path | None = None


def load_inputs(options: SuiteRunOptions) -> tuple[Suite, EvalConfig, dict[str, Any] | None]:
    """The suite, config and baseline, or a one-line error (exit 2)."""
    from core.errors import AppError
    from evals.answers.config import ConfigError, load_config
    from evals.answers.results import load_results
    from evals.answers.suites import load_suite

    try:
        suite = load_suite(options.suite)
    except (AppError, OSError, ValueError) as exc:
        fail(f"cannot load suite {options.suite!r}: {exc}", code=2)
    try:
        config = load_config(options.config)
        for endpoint in (config.model, config.judge):
            if endpoint is not None:
                endpoint.api_key()  # a missing key fails now, not after the tenant's build
    except ConfigError as exc:
        fail(str(exc), code=2)
    baseline = None
    if options.baseline is not None:
        try:
            baseline = load_results(options.baseline)
        except ValueError as exc:
            fail(str(exc), code=2)
    if options.limit is not None:
        suite = replace(suite, conversations=suite.conversations[: options.limit])
    if baseline is not None and (baseline.get("suite") or {}).get("name") != suite.name:
        fail(f"{options.baseline} is a run of another suite, not {suite.name!r}", code=2)
    return suite, config, baseline


def default_out_dir(suite: str) -> Path:
    return Path("eval-reports") / f"{suite}-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}"


def run_suite_command(options: SuiteRunOptions) -> None:
    from cli.eval_answers.tables import print_comparison, print_overall
    from core.errors import ConfigurationError
    from evals.answers.config import ConfigError
    from evals.answers.html_report import write_html
    from evals.answers.metrics import compare
    from evals.answers.metrics.compare import shared_turns
    from evals.answers.results import write_baseline, write_results

    suite, config, baseline = load_inputs(options)
    settings = settings_for(options.data_dir)
    try:
        results = run_async(lambda: evaluate(settings, suite, config, rebuild=options.rebuild))
    except (ConfigError, ConfigurationError) as exc:
        fail(str(exc), code=2)
    if baseline is not None:
        if shared_turns(baseline, results) == 0:
            fail(f"{options.baseline} shares no turn with this run: nothing to compare", code=2)
        results["comparison"] = compare(baseline, results, options.tolerance)
    out_dir = options.out or default_out_dir(suite.name)
    results_path = write_results(results, out_dir)
    report_path = write_html(results, out_dir / "report.html")
    if options.save_baseline is not None:
        console.print(f"Baseline: {write_baseline(results, options.save_baseline)}")
    print_overall(results, console)
    if results["comparison"] is not None:
        print_comparison(results["comparison"], console)
    console.print(f"Results: {results_path}  Report: {report_path}")
    if results["comparison"] is not None and results["comparison"]["regressed"]:
        raise typer.Exit(REGRESSION_EXIT_CODE)


async def evaluate(
    settings: Settings, suite: Suite, config: EvalConfig, *, rebuild: bool
) -> dict[str, Any]:
    from cli.eval_answers.harness import run_pass
    from core.runtime import open_runtime
    from engine.embeddings import embedder_from_settings
    from evals.answers.config import config_hash
    from evals.answers.results import RunInfo, build_results

    embedder = embedder_from_settings(settings)
    started_at = datetime.now(UTC)
    async with open_runtime(settings, run_migrations=True) as runtime:
        done = await run_pass(runtime, embedder, suite, config, rebuild=rebuild)
    resolved = config.resolved(embedder.space.name)
    info = RunInfo(
        config=resolved,
        config_hash=config_hash(resolved),
        started_at=started_at.isoformat(timespec="seconds"),
        duration_s=done.seconds,
        judge_model=config.judge.model if config.judge else None,
    )
    return build_results(suite, done.turns, info)
