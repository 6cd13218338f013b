"""`shopbot eval sweep`'s arithmetic: the grid, the held-out split, each point's numbers and
the choice of the best point.

The grid is a TOML file with one table, `[grid]`: each key a RetrievalSettings field (or
`chunking`, a list of [size, overlap] pairs) with the list of values to try; the points are
their product. Every point answers the whole suite; its numbers are reported separately on
the "train" conversations and on the held-out "test" ones (a conversation's `split`, else a
stable hash of its id: half and half). The best point is chosen on train alone by
`OBJECTIVE`; its test numbers are the honest estimate of how it does on questions it was not
chosen on.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.answers.config import (
    RETRIEVAL_KEYS,
    ConfigError,
    EvalConfig,
    chunking_pair,
    read_toml,
)
from evals.answers.records import Conversation, TurnResult

# Retrieval, facts and citations in one number: did the right product come back, did the
# answer quote its facts exactly, and did the cards show what was asked for.
# Where each point's train and test numbers hold the objective (OBJECTIVE describes it).
OBJECTIVE_KEY = "objective"
OBJECTIVE_METRICS = ("hit@5", "facts_quoted", "citation_recall")
OBJECTIVE = "mean of hit@5, facts_quoted, citation_recall (train conversations)"
CHUNKING_AXIS = "chunking"
# Small enough for the smoke suite in a few minutes (evals/README.md has the timing).
DEFAULT_GRID: dict[str, list[Any]] = {
    "text_weight": [0.0, 0.3, 0.6],
    "candidates": [20, 40],
    "top_k": [3, 5],
}


def split_of(conversation: Conversation) -> str:
    if conversation.split in ("train", "test"):
        return conversation.split
    digest = hashlib.sha256(conversation.id.encode()).digest()
    return "train" if digest[0] % 2 == 0 else "test"


def load_grid(path: Path | None) -> dict[str, list[Any]]:
    if path is None:
        return dict(DEFAULT_GRID)
    raw = read_toml(path, "grid")
    grid = raw.get("grid")
    if set(raw) != {"grid"} or not isinstance(grid, dict) or not grid:
        raise ConfigError(f"grid {path}: expected one non-empty [grid] table")
    for name, values in grid.items():
        if name != CHUNKING_AXIS and name not in RETRIEVAL_KEYS:
            allowed = ", ".join((*RETRIEVAL_KEYS, CHUNKING_AXIS))
            raise ConfigError(f"grid {path}: axis {name!r} is unknown; expected one of: {allowed}")
        if not isinstance(values, list) or not values:
            raise ConfigError(f"grid {path}: {name} must be a non-empty list")
        if name == CHUNKING_AXIS:
            for pair in values:
                # The config's own rule for one [chunking] table, so a bad pair fails here
                # and not after tenants were built for the ones before it.
                if not isinstance(pair, list) or len(pair) != 2:
                    raise ConfigError(f"grid {path}: each chunking is [size, overlap]")
                chunking_pair({"size": pair[0], "overlap": pair[1]}, f"grid {path}: chunking")
    return grid


@dataclass(frozen=True, slots=True)
class GridPoint:
    params: dict[str, Any]
    config: EvalConfig


def grid_points(grid: dict[str, list[Any]], base: EvalConfig) -> list[GridPoint]:
    """Every combination, chunk configurations outermost (one tenant build each)."""
    names = sorted(grid, key=lambda n: (n != CHUNKING_AXIS, n))
    points = []
    for values in itertools.product(*(grid[n] for n in names)):
        params = dict(zip(names, values, strict=True))
        config = base.with_retrieval(**{k: v for k, v in params.items() if k != CHUNKING_AXIS})
        if CHUNKING_AXIS in params:
            size, overlap = params[CHUNKING_AXIS]
            config = config.with_chunking((int(size), int(overlap)))
            params[CHUNKING_AXIS] = f"{size}/{overlap}"
        points.append(GridPoint(params, config))
    return points


def axes_json(grid: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {
        name: [f"{v[0]}/{v[1]}" for v in values] if name == CHUNKING_AXIS else list(values)
        for name, values in grid.items()
    }


def means(turns: Sequence[TurnResult]) -> dict[str, float]:
    """Each metric's plain mean over the turns it applies to, and the objective."""
    collected: dict[str, list[float]] = {}
    for turn in turns:
        for name, value in turn.scores.items():
            collected.setdefault(name, []).append(value)
    out = {name: round(sum(v) / len(v), 6) for name, v in sorted(collected.items())}
    parts = [out[name] for name in OBJECTIVE_METRICS if name in out]
    out[OBJECTIVE_KEY] = round(sum(parts) / len(parts), 6) if parts else 0.0
    return out


def split_turns(
    turns: Sequence[TurnResult], conversations: Sequence[Conversation]
) -> tuple[list[TurnResult], list[TurnResult]]:
    train = {c.id for c in conversations if split_of(c) == "train"}
    return [t for t in turns if t.conversation in train], [
        t for t in turns if t.conversation not in train
    ]


def point_json(params: dict[str, Any], train: list[TurnResult], test: list[TurnResult]) -> dict:
    return {"params": params, "train": means(train), "test": means(test)}


def sweep_json(grid: dict[str, list[Any]], points: list[dict[str, Any]]) -> dict[str, Any]:
    """The results.json "sweep" block; the best point is the first with the highest train
    objective (grid order breaks ties)."""
    best = max(points, key=lambda p: p["train"][OBJECTIVE_KEY])
    return {
        "objective": OBJECTIVE,
        "objective_key": OBJECTIVE_KEY,
        "axes": axes_json(grid),
        "points": points,
        "best": best,
    }
