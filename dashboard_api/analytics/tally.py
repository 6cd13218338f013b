"""Rollup rows added up into one point of a series (or its totals): the counters, tokens
per model priced at read time, and the merged latency histogram."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.billing.prices import cost_micro_usd, price_of
from core.models.analytics import ROLLUP_COUNTERS
from dashboard_api.analytics import histogram


def _cost(model: str, prompt_tokens: int, completion_tokens: int) -> int:
    # A model without a price (the offline answerer, '' for non-answers) costs nothing;
    # asking `cost_micro_usd` would log that once per point.
    if price_of(model) is None:
        return 0
    return cost_micro_usd(model, prompt_tokens, completion_tokens)


@dataclass
class Tally:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROLLUP_COUNTERS, 0))
    tokens: dict[str, list[int]] = field(default_factory=dict)  # model -> [prompt, completion]
    latency_bins: dict[str, int] = field(default_factory=dict)

    def add(self, row: Mapping[Any, Any]) -> None:
        """One rollup row (a mapping with the rollup's columns)."""
        for name in ROLLUP_COUNTERS:
            self.counts[name] += int(row[name])
        tokens = self.tokens.setdefault(row["model"], [0, 0])
        tokens[0] += int(row["prompt_tokens"])
        tokens[1] += int(row["completion_tokens"])
        # Hourly rows come without theirs: the database merges each hour's histograms.
        histogram.merge(self.latency_bins, row.get("latency_bins") or {})

    def absorb(self, other: Tally) -> None:
        for name in ROLLUP_COUNTERS:
            self.counts[name] += other.counts[name]
        for model, (prompt, completion) in other.tokens.items():
            tokens = self.tokens.setdefault(model, [0, 0])
            tokens[0] += prompt
            tokens[1] += completion
        histogram.merge(self.latency_bins, other.latency_bins)

    def cost_micro_usd(self) -> int:
        return sum(_cost(model, *tokens) for model, tokens in self.tokens.items())

    def fields(self, *, cost: int | None = None) -> dict[str, Any]:
        """The point's numbers; `cost` given: the sum of the points' own (each point is
        priced once per model, so totals are the sum of the points, to the micro-dollar)."""
        p50, p95 = histogram.percentiles_ms(self.latency_bins, (0.5, 0.95))
        return {
            **self.counts,
            "latency_p50_ms": p50,
            "latency_p95_ms": p95,
            "prompt_tokens": sum(tokens[0] for tokens in self.tokens.values()),
            "completion_tokens": sum(tokens[1] for tokens in self.tokens.values()),
            "cost_micro_usd": self.cost_micro_usd() if cost is None else cost,
        }
