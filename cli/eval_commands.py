"""`shopbot eval ...`: offline evals of retrieval quality and of whole answers.

`eval run --suite NAME` and `eval sweep` evaluate whole answers (cli/eval_answers: a suite of
conversations asked through the widget chat path). Without `--suite`, `eval run` is the
retrieval eval on a labelled dataset, described below.

`eval run --dataset` uses the configured database like every command (DATABASE_URL, or the
embedded server in --data-dir), migrated first. The eval store lives in a tenant of its
own whose id is derived from the dataset fingerprint (files, subset, title mode, build
version) and the embedding space: the first run builds it (embedding every evidence piece,
about a minute for the whole hetPQA set on two cores), later runs with the same inputs
reuse it as it is, and `--rebuild` replaces it. Its store connection is `disconnected`, so
no sync ever touches it.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from cli.context import DataDirOption, run_async, settings_for
from cli.output import console, err_console, fail

# The evals, the embedder and the database are imported when `eval run` runs: every
# `shopbot` run builds all commands, and should not pay for them (see cli/main.py).
if TYPE_CHECKING:
    from core.settings import Settings
    from evals.datasets.hetpqa import HetPQADataset

app = typer.Typer(
    help="Offline evals: retrieval quality on a labelled dataset, and whole answers on a suite.",
    no_args_is_help=True,
)

DATASETS = ("hetpqa",)
REGRESSION_EXIT_CODE = 3
# evals.report.DEFAULT_TOLERANCE, written out so that --help needs no evals import
# (tests/cli/test_cli_startup.py holds the two equal).
DEFAULT_TOLERANCE = 0.01
# An answer metric moves more turn to turn than a ranking's: its tolerance is wider.
ANSWER_TOLERANCE = 0.02


class _Progress:
    """One line per phase on stderr (stdout stays clean for --json)."""

    def __init__(self, quiet: bool) -> None:
        self._quiet = quiet
        self._started = time.perf_counter()
        self._last = self._started

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.perf_counter()
        # Every phase's end, and a heartbeat every 10 s inside long ones.
        if self._quiet or total <= 0 or (done != total and now - self._last < 10.0):
            return
        self._last = now
        err_console.print(f"[dim]{now - self._started:6.1f}s {phase}: {done}/{total}[/]")


# The options of `shopbot eval run`, named so its signature reads as a list.
DatasetOption = Annotated[str, typer.Option("--dataset", help="The eval dataset (hetpqa).")]

LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit", min=1, help="About N questions: a fixed random sample of whole products."
    ),
]

SweepOption = Annotated[
    bool,
    typer.Option(
        "--sweep", help="Also sweep the fusion's text weight and candidates (page scope)."
    ),
]

BaselineOption = Annotated[
    Path | None,
    typer.Option("--baseline", help="A saved report.json to compare against.", dir_okay=False),
]

OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out", help="Where report.json and report.svg go (default: eval-reports/<UTC time>)."
    ),
]

AsJsonOption = Annotated[
    bool, typer.Option("--json", help="Print the report as JSON instead of tables.")
]

TitlesOption = Annotated[
    str,
    typer.Option(
        "--titles",
        help="Product titles: 'asin' (\"Product <ASIN>\") or 'derived' from the evidence.",
    ),
]

CatalogueOption = Annotated[
    bool,
    typer.Option("--catalogue/--no-catalogue", help="Also rank products over the whole catalogue."),
]

ToleranceOption = Annotated[
    float | None,
    typer.Option(
        "--tolerance",
        min=0.0,
        help=f"Smallest drop that counts as a regression (default {DEFAULT_TOLERANCE}, "
        f"with --suite {ANSWER_TOLERANCE}).",
    ),
]

SuiteOption = Annotated[
    str | None,
    typer.Option(
        "--suite",
        help="Evaluate whole answers on this suite (evals/suites/NAME.jsonl, or a path) "
        "instead of retrieval on --dataset. --limit then takes the first N conversations; "
        "a --baseline regression always exits 3.",
    ),
]

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="An answer eval config (TOML: [model], [judge], [retrieval], [chunking]; "
        "see evals/README.md). Default: the product's defaults, offline answerer.",
        dir_okay=False,
    ),
]

SaveBaselineOption = Annotated[
    Path | None,
    typer.Option(
        "--save-baseline",
        help="With --suite: also write this run as a baseline file (results.json without the "
        "prompts and retrieved texts: the scores a later --baseline compares, small enough "
        "to commit).",
        dir_okay=False,
    ),
]

GridOption = Annotated[
    Path | None,
    typer.Option(
        "--grid",
        help="A sweep grid (TOML [grid] table: a list of values per retrieval setting or "
        "'chunking'); default: text_weight x candidates x top_k, 12 points.",
        dir_okay=False,
    ),
]

FailOnRegressionOption = Annotated[
    bool,
    typer.Option(
        "--fail-on-regression",
        help=f"Exit with {REGRESSION_EXIT_CODE} when --baseline shows a regression.",
    ),
]

RebuildOption = Annotated[
    bool, typer.Option("--rebuild", help="Rebuild the eval store even if it exists.")
]

DataPathOption = Annotated[
    Path | None,
    typer.Option(
        "--data-path",
        help="The hetPQA folder (default: tests/fixtures/hetpqa).",
        file_okay=False,
    ),
]


@app.command("run")
def run(
    dataset: DatasetOption = "hetpqa",
    limit: LimitOption = None,
    sweep: SweepOption = False,
    baseline: BaselineOption = None,
    out: OutOption = None,
    as_json: AsJsonOption = False,
    titles: TitlesOption = "asin",
    catalogue: CatalogueOption = True,
    tolerance: ToleranceOption = None,
    fail_on_regression: FailOnRegressionOption = False,
    rebuild: RebuildOption = False,
    data_path: DataPathOption = None,
    data_dir: DataDirOption = None,
    suite: SuiteOption = None,
    config: ConfigOption = None,
    save_baseline: SaveBaselineOption = None,
) -> None:
    """Rank the dataset's evidence with vector-only, text-only and hybrid retrieval; print
    Hit@1, Hit@5, MRR (95% bootstrap intervals) and write report.json and report.svg.
    With --suite: ask a suite's conversations through the widget chat path and write
    results.json and report.html (cli/eval_answers)."""
    if suite is not None:
        from cli.eval_answers.run_command import SuiteRunOptions, run_suite_command

        tolerance = ANSWER_TOLERANCE if tolerance is None else tolerance
        options = SuiteRunOptions(
            suite, config, baseline, out, tolerance, limit, rebuild, data_dir, save_baseline
        )
        run_suite_command(options)
        return
    if config is not None or save_baseline is not None:
        fail("--config and --save-baseline apply to --suite runs only", code=2)
    tolerance = DEFAULT_TOLERANCE if tolerance is None else tolerance
    from evals.datasets.hetpqa import TitleMode, default_data_dir, load_hetpqa
    from evals.report import compare, load_report, render, write_report, write_svg

    if dataset not in DATASETS:
        fail(f"unknown dataset {dataset!r}; available: {', '.join(DATASETS)}", code=2)
    if titles not in ("asin", "derived"):
        fail(f"--titles must be 'asin' or 'derived', not {titles!r}", code=2)
    baseline_report = None
    if baseline is not None:
        try:
            baseline_report = load_report(baseline)
        except ValueError as exc:
            fail(str(exc), code=2)
    try:
        # `titles` was checked against TitleMode's values above.
        title_mode = cast(TitleMode, titles)
        data = load_hetpqa(data_path or default_data_dir(), title_mode=title_mode)
    except (FileNotFoundError, KeyError) as exc:
        fail(f"cannot load {dataset}: {exc}", code=2)
    if limit is not None:
        data = data.sample(limit)

    settings = settings_for(data_dir)
    progress = _Progress(quiet=False)
    report = run_async(
        lambda: _evaluate(
            settings, data, rebuild=rebuild, catalogue=catalogue, sweep=sweep, progress=progress
        )
    )

    if baseline_report is not None:
        report["comparison"] = compare(report, baseline_report, tolerance=tolerance)
    out_dir = out or Path("eval-reports") / datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    report_path = write_report(report, out_dir)
    svg_path = write_svg(report, out_dir / "report.svg")

    if as_json:
        sys.stdout.write(json.dumps(report, default=str) + "\n")
    else:
        render(report, console)
        console.print(f"Report: {report_path}  Chart: {svg_path}")
    if fail_on_regression and report.get("comparison", {}).get("regression"):
        raise typer.Exit(REGRESSION_EXIT_CODE)


@app.command("sweep")
def sweep(
    suite: Annotated[str, typer.Option("--suite", help="The suite (evals/suites/NAME.jsonl).")],
    grid: GridOption = None,
    config: ConfigOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Where results.json and report.html go."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="The first N conversations only.")
    ] = None,
    rebuild: RebuildOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Sweep retrieval settings (and chunking) on a suite: every point on the train and the
    held-out test conversations, the best chosen on train; writes results.json + report.html."""
    from cli.eval_answers.sweep_command import SweepOptions, sweep_command

    sweep_command(SweepOptions(suite, grid, config, out, limit, rebuild, data_dir))


async def _evaluate(
    settings: Settings,
    data: HetPQADataset,
    *,
    rebuild: bool,
    catalogue: bool,
    sweep: bool,
    progress: _Progress,
) -> dict[str, Any]:
    """Build (or reuse) the eval tenant's store through the real ingestion path, rank, report."""
    from core.runtime import open_runtime
    from engine.embeddings import embedder_from_settings
    from evals.report import build_report
    from evals.runners.retrieval import run_retrieval_eval
    from evals.store import build_store, eval_tenant_id, find_store

    embedder = embedder_from_settings(settings)
    async with open_runtime(settings, run_migrations=True) as runtime:
        tenant_id = eval_tenant_id(data, embedder.space.name)
        store = (
            None if rebuild else await find_store(runtime.db, tenant_id, data, embedder.space.name)
        )
        if store is None:
            err_console.print(
                f"[dim]Building the eval store: {len(data.products)} products, "
                f"{data.piece_count} chunks "
                f"(embedding with {embedder.space.name})…[/]"
            )
            store = await build_store(
                runtime.db, data, embedder, tenant_id=tenant_id, progress=progress
            )
        result = await run_retrieval_eval(
            runtime.db,
            embedder,
            data,
            store=store,
            catalogue=catalogue,
            sweep=sweep,
            progress=progress,
        )
    return build_report(result)
