"""The answer eval's parts that need no database: the config (resolved, hashed, checked),
the sweep's split, grid and choice of the best point, the cost of a turn, the live tally's
pass rule and the chunking a sweep sets for a sync. The runner itself is exercised end to
end through the CLI (test_answer_eval_cli.py) and the engine's trace in tests/engine."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from cli.eval_answers.app import ShopperAddresses
from cli.eval_answers.live import turn_passes
from evals.answers.config import ConfigError, EvalConfig, config_hash, load_config
from evals.answers.records import Conversation, TurnResult
from evals.answers.runner import cost_usd
from evals.answers.sweep import (
    DEFAULT_GRID,
    grid_points,
    load_grid,
    means,
    point_json,
    split_of,
    split_turns,
    sweep_json,
)
from ingestion.indexing.chunks import CHUNKING_OVERRIDE, chunk_rendered, chunk_sizes

REPOSITORY = Path(__file__).resolve().parents[2]


def _turn(conversation: str, scores: dict[str, float]) -> TurnResult:
    return TurnResult(
        conversation=conversation,
        index=0,
        message="q",
        tags=["search"],
        answer="a",
        cards=[],
        documents=[],
        status="ok",
        latency_ms=1.0,
        prompt_tokens=None,
        completion_tokens=None,
        cost_usd=None,
        model=None,
        rewritten_query=None,
        scores=scores,
    )


def test_the_default_config_is_the_products_defaults_and_hashes_stably() -> None:
    config = load_config(None)
    resolved = config.resolved("minilm-l6-v2")
    assert resolved["model"] == {"provider": "offline"} and resolved["judge"] is None
    assert resolved["retrieval"]["top_k"] == 5 and resolved["retrieval"]["text_weight"] == 0.3
    assert resolved["chunking"] == {"size": 200, "overlap": 30}
    assert config_hash(resolved) == config_hash(EvalConfig().resolved("minilm-l6-v2"))
    degraded = load_config(REPOSITORY / "evals" / "configs" / "degraded.toml")
    assert config_hash(degraded.resolved("minilm-l6-v2")) != config_hash(resolved)
    assert degraded.retrieval_settings().top_k == 1


def test_the_example_configs_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    config = load_config(REPOSITORY / "evals" / "configs" / "openai.example.toml")
    assert config.model is not None and config.model.model == "gpt-4o-mini"
    assert config.judge is not None and config.judge.api_key() == "sk-test"
    assert config.chunking == (200, 30)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[retrieval]\nfusion = 'max'\n", "fusion: Input should be 'weighted' or 'rrf'"),
        ("[judge]\nbase_url = 'http://x'\n", "'model' is required"),
        ("[judge]\nmodel = 'm'\ntemperature = 0\n", "key 'temperature' is unknown"),
        ("retrieval = 3\n", "[retrieval] must be a table"),
        ("[retrieval\n", "is not valid TOML"),
    ],
)
def test_a_bad_config_says_what_and_where(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert message in str(raised.value) and str(path) in str(raised.value)


def test_the_split_is_the_files_or_a_stable_half() -> None:
    assert split_of(Conversation("a", [], split="test")) == "test"
    hashed = [split_of(Conversation(f"c-{n}", [])) for n in range(200)]
    assert hashed == [split_of(Conversation(f"c-{n}", [])) for n in range(200)]
    assert 70 < hashed.count("train") < 130


def test_grid_points_are_the_product_with_chunking_outermost(tmp_path: Path) -> None:
    assert len(grid_points(DEFAULT_GRID, EvalConfig())) == 12
    path = tmp_path / "g.toml"
    path.write_text("[grid]\ntop_k = [1, 3]\nchunking = [[200, 30], [400, 40]]\n")
    points = grid_points(load_grid(path), EvalConfig())
    assert [p.params for p in points] == [
        {"chunking": "200/30", "top_k": 1},
        {"chunking": "200/30", "top_k": 3},
        {"chunking": "400/40", "top_k": 1},
        {"chunking": "400/40", "top_k": 3},
    ]
    assert points[3].config.chunking == (400, 40)
    assert points[3].config.retrieval_settings().top_k == 3
    path.write_text("[grid]\ntop_kk = [1]\n")
    with pytest.raises(ConfigError, match="axis 'top_kk' is unknown"):
        load_grid(path)
    path.write_text("[grid]\ntop_k = [0]\n")
    with pytest.raises(ConfigError, match="greater than or equal to 1"):
        grid_points(load_grid(path), EvalConfig())
    for bad in ("[200]", "[[200, 300]]", "[[10, 0]]", '[["200", 30]]'):
        path.write_text(f"[grid]\nchunking = {bad}\n")
        with pytest.raises(ConfigError, match="chunking"):
            load_grid(path)


def test_the_best_point_is_chosen_on_train_and_reported_on_test() -> None:
    conversations = [Conversation("tr", [], split="train"), Conversation("te", [], split="test")]
    good_on_train = [
        _turn("tr", {"hit@5": 1.0, "citation_recall": 1.0}),
        _turn("te", {"hit@5": 0.0}),
    ]
    good_on_test = [_turn("tr", {"hit@5": 0.5}), _turn("te", {"hit@5": 1.0, "facts_quoted": 1.0})]
    points = [
        point_json({"top_k": k}, *split_turns(turns, conversations))
        for k, turns in ((5, good_on_train), (1, good_on_test))
    ]
    swept = sweep_json({"top_k": [5, 1]}, points)
    assert swept["best"]["params"] == {"top_k": 5}
    assert swept["best"]["train"]["objective"] == 1.0
    assert swept["best"]["test"] == {"hit@5": 0.0, "objective": 0.0}
    assert means([]) == {"objective": 0.0}


def test_cost_is_priced_offline_free_and_unknown_unpriced() -> None:
    assert cost_usd("gpt-4o-mini", 1_000_000, 0) == pytest.approx(0.15)
    assert cost_usd("offline-grounded", 0, 54) == 0.0
    assert cost_usd("some-unpriced-model", 10, 10) is None
    assert cost_usd("gpt-4o-mini", None, 10) is None


def test_a_turn_passes_on_a_mean_score_of_one_half() -> None:
    assert turn_passes(_turn("c", {"a": 1.0, "b": 0.0})) is True
    assert turn_passes(_turn("c", {"a": 0.4})) is False
    assert turn_passes(_turn("c", {})) is None


def test_a_sweeps_chunking_applies_to_the_sync_it_wraps_only() -> None:
    body = " ".join(f"Sentence number {n} about a rain jacket." for n in range(200))
    default = chunk_rendered("Jacket", "", body, space="minilm-l6-v2")
    token = CHUNKING_OVERRIDE.set((64, 8))
    try:
        assert chunk_sizes("minilm-l6-v2") == (64, 8)
        small = chunk_rendered("Jacket", "", body, space="minilm-l6-v2")
    finally:
        CHUNKING_OVERRIDE.reset(token)
    assert chunk_sizes("minilm-l6-v2") == (200, 30)
    assert len(small) > 2 * len(default)
    assert max(c.token_count for c in small) <= 64


async def test_the_client_address_changes_before_a_buckets_burst_is_spent() -> None:
    async def echo_client(scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": scope["client"][0].encode()})

    async with httpx.AsyncClient(
        transport=ShopperAddresses(echo_client, every=3), base_url="http://eval.invalid"
    ) as http:
        seen = [(await http.get("/")).text for _ in range(7)]
    assert seen == ["198.18.0.1"] * 3 + ["198.18.0.2"] * 3 + ["198.18.0.3"]


async def test_an_error_in_the_app_is_a_500_not_the_runs_end() -> None:
    async def broken(scope, receive, send) -> None:
        raise RuntimeError("the answer failed")

    async with httpx.AsyncClient(
        transport=ShopperAddresses(broken), base_url="http://eval.invalid"
    ) as http:
        assert (await http.post("/widget/v1/chat")).status_code == 500
