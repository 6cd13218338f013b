"""The model price table (`model_prices.json`, data in the repo) and what an answer costs.

Costs are integers in millionths of a US dollar, so a day's sum never drifts by rounding:
a price of $0.15 per million tokens is 0.15 micro-dollars per token.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ModelPrice:
    input_per_million: float  # US dollars
    output_per_million: float


@lru_cache(maxsize=1)
def price_table() -> dict[str, ModelPrice]:
    raw = json.loads(resources.files("core.billing").joinpath("model_prices.json").read_text())
    return {
        model: ModelPrice(float(entry["input"]), float(entry["output"]))
        for model, entry in raw["models"].items()
    }


def price_of(model: str) -> ModelPrice | None:
    """The model's price; a dated snapshot (`gpt-4o-mini-2024-07-18`) takes its family's."""
    table = price_table()
    if model in table:
        return table[model]
    family = max((name for name in table if model.startswith(name + "-")), key=len, default=None)
    return table[family] if family else None


def cost_micro_usd(model: str, prompt_tokens: int, completion_tokens: int) -> int:
    price = price_of(model)
    if price is None:
        log.info("no price for model %r: its tokens are recorded at no cost", model)
        return 0
    # dollars per million tokens == micro-dollars per token
    return round(
        prompt_tokens * price.input_per_million + completion_tokens * price.output_per_million
    )
