"""`shopbot eval run --suite` and `eval sweep` end to end against the test database (as
DATABASE_URL): a tiny suite over the demo catalogue is asked through the real widget chat
path of the composed app, on an eval tenant synced through the real ingestion path. The
tenant is built once for the session (the demo catalogue's sync takes a minute or two) and
reused by every later run, which is part of what is tested."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy.engine import URL
from typer.testing import CliRunner, Result

from cli import eval_commands
from core.settings import get_settings
from emulators.openai import FakeOpenAI
from evals.answers.judge import JUDGE_PROMPT
from tests.evals.answer_suite import write_suite

REPOSITORY = Path(__file__).resolve().parents[2]
DEGRADED = REPOSITORY / "evals" / "configs" / "degraded.toml"
# The CI gate: the smoke suite against its committed baseline (evals/README.md says how it
# is refreshed: `eval run --suite smoke --save-baseline evals/baselines/smoke.json`).
SMOKE_BASELINE = REPOSITORY / "evals" / "baselines" / "smoke.json"
RESULTS_KEYS = {
    "schema",
    "suite",
    "config",
    "config_hash",
    "started_at",
    "duration_s",
    "metrics",
    "latency",
    "tokens",
    "judge",
    "turns",
    "sweep",
    "comparison",
}
TURN_KEYS = {
    "conversation",
    "index",
    "message",
    "tags",
    "answer",
    "cards",
    "documents",
    "status",
    "latency_ms",
    "prompt_tokens",
    "completion_tokens",
    "cost_usd",
    "model",
    "rewritten_query",
    "retrieved",
    "prompt",
    "scores",
    "judge",
}

Shopbot = Callable[..., Result]


def _shopbot(owner_url: URL) -> Shopbot:
    root = typer.Typer()
    root.add_typer(eval_commands.app, name="eval")
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        # Set for the call only: the session's other tests keep their own settings.
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("DATABASE_URL", owner_url.render_as_string(hide_password=False))
            get_settings.cache_clear()
            try:
                return runner.invoke(root, list(args), catch_exceptions=False)
            finally:
                get_settings.cache_clear()

    return invoke


@dataclass(frozen=True)
class FirstRun:
    shopbot: Shopbot
    suite: Path
    out: Path
    result: Result

    @property
    def results(self) -> dict[str, Any]:
        return json.loads((self.out / "results.json").read_text())


@pytest.fixture(scope="session")
def first_run(owner_url: URL, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FirstRun]:
    """The tiny suite's first run: it builds the eval tenant the other runs reuse."""
    folder = tmp_path_factory.mktemp("answer-eval")
    shopbot = _shopbot(owner_url)
    suite = write_suite(folder)
    out = folder / "first"
    result = shopbot("eval", "run", "--suite", str(suite), "--out", str(out))
    yield FirstRun(shopbot, suite, out, result)


def test_a_suite_runs_through_the_widget_path_into_the_contract_shape(first_run) -> None:
    assert first_run.result.exit_code == 0, first_run.result.output
    results = first_run.results
    assert set(results) == RESULTS_KEYS
    assert results["schema"] == "shopbot.eval.answers/1"
    assert results["suite"]["name"] == "tiny" and results["suite"]["catalogue"] == "demo"
    assert (results["suite"]["conversations"], results["suite"]["turns"]) == (6, 11)
    assert results["config"]["model"] == {"provider": "offline"}
    assert results["config"]["retrieval"]["top_k"] == 5 and len(results["config_hash"]) == 64
    assert results["judge"] is None and results["sweep"] is None
    assert results["comparison"] is None
    assert set(results["latency"]) >= {"p50_ms", "p95_ms", "histogram"}
    assert set(results["tokens"]) == {"prompt", "completion", "cost_usd"}
    for name in ("hit@5", "citation_recall", "refusal_correct", "facts_quoted"):
        measured = results["metrics"][name]
        assert set(measured["overall"]) == {"value", "low", "high", "n"}
        assert measured["overall"]["low"] <= measured["overall"]["value"]
    assert "comparison" in results["metrics"]["citation_recall"]["by_tag"]

    turns = {(t["conversation"], t["index"]): t for t in results["turns"]}
    assert all(set(t) == TURN_KEYS for t in turns.values())
    skillet, sage = turns[("t-skillet", 0)], turns[("t-skillet", 1)]
    assert skillet["status"] == "ok" and "106" in skillet["cards"]
    assert skillet["retrieved"][0]["kind"] == "product" and "106" in [
        r["ref"] for r in skillet["retrieved"]
    ]
    assert skillet["prompt"][0]["role"] == "system" and skillet["latency_ms"] > 0
    assert skillet["model"] == "offline-grounded" and skillet["cost_usd"] == 0.0
    assert skillet["scores"]["hit@5"] == 1.0
    # The follow-up was asked in the same conversation: its query was rewritten with it.
    assert "skillet" in (sage["rewritten_query"] or "").lower()
    assert turns[("t-helmet", 0)]["cards"][:1] == ["124"]
    assert turns[("t-france", 0)]["scores"]["refusal_correct"] == 1.0
    # A turn the API refuses is recorded with its HTTP status and scored, not fatal.
    too_long = turns[("t-too-long", 0)]
    assert too_long["status"] == "http_422" and too_long["answer"] == ""
    assert too_long["scores"]["hit@5"] == 0.0
    assert (first_run.out / "report.html").read_text().lstrip().lower().startswith("<!doctype")
    assert "hit@5" in first_run.result.stdout


def test_a_second_run_reuses_the_tenant_and_reproduces_every_score(first_run, tmp_path) -> None:
    again = first_run.shopbot(
        "eval", "run", "--suite", str(first_run.suite), "--out", str(tmp_path)
    )
    assert again.exit_code == 0, again.output
    assert "Reusing the eval tenant" in again.stderr
    before, after = first_run.results, json.loads((tmp_path / "results.json").read_text())
    assert after["config_hash"] == before["config_hash"]
    assert [(t["conversation"], t["index"], t["scores"]) for t in after["turns"]] == [
        (t["conversation"], t["index"], t["scores"]) for t in before["turns"]
    ]
    assert [t["answer"] for t in after["turns"]] == [t["answer"] for t in before["turns"]]


def test_rebuild_replaces_the_tenant_and_answers_the_same(first_run, tmp_path) -> None:
    # The tenant has conversations (and clustered questions) by now: all of it goes.
    rebuilt = first_run.shopbot(
        "eval", "run", "--suite", str(first_run.suite), "--rebuild", "--out", str(tmp_path)
    )
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "Built the eval tenant" in rebuilt.stderr
    before, after = first_run.results, json.loads((tmp_path / "results.json").read_text())
    assert [t["scores"] for t in after["turns"]] == [t["scores"] for t in before["turns"]]


def test_the_degraded_config_falls_on_the_tiny_suite_and_its_few_turns_are_not_judged(
    first_run, tmp_path
) -> None:
    """The tiny suite (9 ranked turns) shows the fall, row by row; too few turns to call it
    a regression: its comparisons name their products, which reach the prompt whatever
    the retrieval settings (engine.retrieval.named_products). The smoke suite's test below
    is the gate: the same config regresses it (exit 3) and names the fallen tags."""
    degraded = first_run.shopbot(
        "eval",
        "run",
        "--suite",
        str(first_run.suite),
        "--config",
        str(DEGRADED),
        "--baseline",
        str(first_run.out / "results.json"),
        "--out",
        str(tmp_path),
    )
    assert degraded.exit_code in (0, 3), degraded.output
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["config"]["retrieval"]["top_k"] == 1
    assert results["config"]["retrieval"]["text_weight"] == 0.0
    comparison = results["comparison"]
    assert comparison["tolerance"] == 0.02
    rows = {(r["metric"], r["tag"]): r for r in comparison["rows"]}
    assert rows[("hit@5", None)]["delta"] <= -0.2
    search = rows[("hit@5", "search")]
    assert search["status"] == "few turns" and search["delta"] < 0
    # Whatever is called a regression really fell beyond the tolerance.
    assert all(
        r["high"] < 0 and r["delta"] <= -0.02
        for r in comparison["rows"]
        if r["status"] == "REGRESSION"
    )


def test_the_smoke_suite_holds_its_committed_baseline(first_run, tmp_path) -> None:
    """The build fails here when a change makes the offline answerer worse on the smoke
    suite (63 turns, every tag) beyond the tolerance, per metric overall or on any tag."""
    run = first_run.shopbot(
        "eval", "run", "--suite", "smoke", "--baseline", str(SMOKE_BASELINE), "--out", str(tmp_path)
    )
    comparison = json.loads((tmp_path / "results.json").read_text())["comparison"]
    fallen = [
        (row["metric"], row["tag"], row["delta"])
        for row in comparison["rows"]
        if row["status"] == "REGRESSION"
    ]
    assert run.exit_code == 0 and not fallen, f"{fallen}\n{run.output}"
    assert {row["tag"] for row in comparison["rows"]} >= {None, "search", "multilingual"}


def test_the_degraded_config_regresses_the_smoke_suite_and_the_report_says_where(
    first_run, tmp_path
) -> None:
    run = first_run.shopbot(
        "eval",
        "run",
        "--suite",
        "smoke",
        "--config",
        str(DEGRADED),
        "--baseline",
        str(SMOKE_BASELINE),
        "--out",
        str(tmp_path),
    )
    assert run.exit_code == 3, run.output
    comparison = json.loads((tmp_path / "results.json").read_text())["comparison"]
    fallen_tags = {r["tag"] for r in comparison["rows"] if r["status"] == "REGRESSION"}
    assert {None, "search"} <= fallen_tags
    report = (tmp_path / "report.html").read_text()
    assert "REGRESSION" in report and "search" in report


def test_the_same_config_against_its_own_baseline_passes(first_run, tmp_path) -> None:
    same = first_run.shopbot(
        "eval",
        "run",
        "--suite",
        str(first_run.suite),
        "--baseline",
        str(first_run.out / "results.json"),
        "--out",
        str(tmp_path),
    )
    assert same.exit_code == 0, same.output
    assert "No regression" in same.stdout


def test_the_sweep_reports_train_and_held_out_numbers_per_point(first_run, tmp_path) -> None:
    grid = tmp_path / "grid.toml"
    # The second chunking is a tenant of its own, synced with 120-token chunks.
    grid.write_text("[grid]\ntop_k = [1, 5]\nchunking = [[200, 30], [120, 20]]\n")
    swept = first_run.shopbot(
        "eval",
        "sweep",
        "--suite",
        str(first_run.suite),
        "--grid",
        str(grid),
        "--out",
        str(tmp_path / "out"),
    )
    assert swept.exit_code == 0, swept.output
    assert swept.stderr.count("Built the eval tenant") == 1, "200/30 is the session's tenant"
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    sweep = results["sweep"]
    assert sweep["axes"] == {"top_k": [1, 5], "chunking": ["200/30", "120/20"]}
    assert [p["params"] for p in sweep["points"]] == [
        {"chunking": "200/30", "top_k": 1},
        {"chunking": "200/30", "top_k": 5},
        {"chunking": "120/20", "top_k": 1},
        {"chunking": "120/20", "top_k": 5},
    ]
    for point in sweep["points"]:
        assert "objective" in point["train"] and "objective" in point["test"]
    assert sweep["best"] == max(sweep["points"], key=lambda p: p["train"]["objective"])
    assert sweep["best"]["params"]["top_k"] == 5, "both cards of a comparison need top-k 2+"
    # The report's turns are the best point's on the held-out conversations only.
    assert {t["conversation"] for t in results["turns"]} == {"t-tent", "t-helmet", "t-too-long"}
    assert results["config"]["retrieval"]["top_k"] == 5
    assert (tmp_path / "out" / "report.html").is_file()


def test_a_configured_model_answers_and_a_judge_grades(
    first_run, tmp_path, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    def reply(messages: list[dict[str, Any]]) -> str:
        if messages[0]["content"] == JUDGE_PROMPT:
            return '{"grounded": 1, "helpful": 5, "refused": 0, "reason": "quotes the price"}'
        return "The Nordkap Cast Iron Skillet costs $142.99 [1]."

    fake_openai.reply_fn(reply)
    monkeypatch.setenv("SHOPBOT_EVAL_TEST_KEY", fake_openai.api_key)
    endpoint = f'base_url = "{fake_openai.base_url}"\napi_key_env = "SHOPBOT_EVAL_TEST_KEY"\n'
    config = tmp_path / "model.toml"
    config.write_text(
        f'[model]\nmodel = "gpt-4o-mini"\n{endpoint}[judge]\nmodel = "gpt-4o"\n{endpoint}'
    )
    result = first_run.shopbot(
        "eval", "run", "--suite", str(first_run.suite), "--config", str(config),
        "--limit", "1", "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert results["config"]["model"]["model"] == "gpt-4o-mini"
    assert results["judge"]["model"] == "gpt-4o" and results["judge"]["prompt_version"] == "v1"
    first = results["turns"][0]
    assert first["model"].startswith("gpt-4o-mini") and "142.99" in first["answer"]
    assert first["prompt_tokens"] > 0 and first["cost_usd"] > 0
    assert first["judge"]["grounded"] == 1 and first["scores"]["judge"] == 1.0
    assert results["tokens"]["cost_usd"] > 0 and "judge" in results["metrics"]
    asked = [r.body["messages"][0]["content"] for r in fake_openai.requests]
    assert JUDGE_PROMPT in asked, "the judge was asked"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[retrieval]\ntop_kk = 3\n", "[retrieval] key 'top_kk' is unknown; expected one of"),
        ("[retrieval]\ntop_k = 0\n", "top_k: Input should be greater than or equal to 1"),
        ("[modell]\nmodel = 'x'\n", "table 'modell' is unknown"),
        ("[chunking]\nsize = 8\noverlap = 2\n", "size must be at least 32"),
        ("[model]\nmodel = 'm'\napi_key_env = 'SHOPBOT_NO_SUCH_KEY'\n", "$SHOPBOT_NO_SUCH_KEY"),
    ],
)
def test_a_bad_config_is_one_clear_line(first_run, tmp_path, config: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(config)
    result = first_run.shopbot(
        "eval", "run", "--suite", str(first_run.suite), "--config", str(path)
    )
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    if "api_key_env" not in config:
        assert str(path) in result.stderr, "the error names the file"
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_suite_or_a_foreign_baseline_is_refused(first_run, tmp_path) -> None:
    result = first_run.shopbot("eval", "run", "--suite", str(tmp_path / "none.jsonl"))
    assert result.exit_code == 2 and "cannot load suite" in result.stderr
    (tmp_path / "other.json").write_text('{"schema": "something else"}')
    result = first_run.shopbot(
        "eval", "run", "--suite", str(first_run.suite), "--baseline", str(tmp_path / "other.json")
    )
    assert result.exit_code == 2 and "not an answer eval results.json" in result.stderr
