"""Picking one outcome of a seeded roll against cumulative odds."""

from __future__ import annotations

import random
from collections.abc import Sequence


def pick_by_odds(rng: random.Random, odds: Sequence[tuple[float, str]], otherwise: str) -> str:
    """One roll of `rng`: the first outcome whose cumulative bound the roll falls below (the
    bounds ascend: `[(0.03, "draft"), (0.05, "pending")]` is 3 % draft, 2 % pending), else
    `otherwise`. Exactly one draw, so a seeded catalogue stays the same catalogue."""
    roll = rng.random()
    for bound, outcome in odds:
        if roll < bound:
            return outcome
    return otherwise
