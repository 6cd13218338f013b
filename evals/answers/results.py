"""`results.json`: one answer eval run, as the report and a later `--baseline` read it.

The shape is `SCHEMA` (documented in evals/README.md): the suite, the resolved config and
its hash, per-metric estimates overall and per tag, run-level latency / tokens / cost, the
judge's agreement, every turn, and optionally a sweep and a comparison with a baseline.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.answers.judge import JUDGE_PROMPT_VERSION, judge_agreement
from evals.answers.metrics import metrics_json, run_aggregates, summarise
from evals.answers.records import Suite, TurnResult

SCHEMA = "shopbot.eval.answers/1"
RESULTS_FILE = "results.json"


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What the run was, beside its turns."""

    config: dict[str, Any]  # resolved (evals.answers.config.EvalConfig.resolved)
    config_hash: str
    started_at: str  # ISO 8601, UTC
    duration_s: float
    judge_model: str | None = None  # set when an LLM judge ran


def suite_block(suite: Suite, turns: int | None = None) -> dict[str, Any]:
    return {
        "name": suite.name,
        "catalogue": suite.catalogue,
        "fingerprint": suite.fingerprint,
        "conversations": len(suite.conversations),
        "turns": turns if turns is not None else sum(len(c.turns) for c in suite.conversations),
    }


def build_results(
    suite: Suite,
    turns: list[TurnResult],
    info: RunInfo,
    *,
    sweep: dict[str, Any] | None = None,
    comparison: dict[str, Any] | None = None,
) -> dict[str, Any]:
    judged = info.judge_model is not None
    return {
        "schema": SCHEMA,
        "suite": {
            **suite_block(suite, len(turns)),
            "conversations": len({t.conversation for t in turns}),
        },
        "config": info.config,
        "config_hash": info.config_hash,
        "started_at": info.started_at,
        "duration_s": round(info.duration_s, 3),
        "metrics": metrics_json(summarise(turns)),
        **run_aggregates(turns),
        "judge": {
            "prompt_version": JUDGE_PROMPT_VERSION,
            "model": info.judge_model,
            # The contract's one block: the judge against the exact groundedness check;
            # its refusals against the refusal detection beside it.
            **_agreements(turns),
        }
        if judged
        else None,
        "turns": [dataclasses.asdict(t) for t in turns],
        "sweep": sweep,
        "comparison": comparison,
    }


def _agreements(turns: Sequence[TurnResult]) -> dict[str, Any]:
    both = judge_agreement(turns)
    return {"agreement": both["grounded"], "refusal_agreement": both["refused"]}


def write_results(results: dict[str, Any], out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / RESULTS_FILE
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    return path


def write_baseline(results: dict[str, Any], path: Path) -> Path:
    """The run as a baseline: every number and score, each turn's question, answer and
    cards, without the prompts and retrieved texts (most of the bytes; a comparison pairs
    turns by their scores only)."""
    turns = [
        {**turn, "prompt": [], "retrieved": [], "rewritten_query": None}
        for turn in results["turns"]
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {**results, "turns": turns, "comparison": None}
    path.write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n")
    return path


def load_results(path: Path) -> dict[str, Any]:
    """A saved results.json; ValueError (one line) when it is not one."""
    try:
        raw = json.loads(path.read_text())
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError:
        raise ValueError(f"{path} is not JSON") from None
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA:
        raise ValueError(f"{path} is not an answer eval results.json ({SCHEMA})")
    return raw
