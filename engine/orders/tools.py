"""The `lookup_order` tool for one answer, as a model provider calls it (engine.llm.base)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from engine.orders.desk import LOOKUP_ORDER_TOOL, TOOL_NAME, OrderDesk, OrderTurn
from engine.orders.lookup import LookupOutcome, OrderFacts


class OrderTools:
    """Bound to one turn: who asks (the limits' shopper) and the raw message the billing
    email must come from."""

    def __init__(self, desk: OrderDesk, turn: OrderTurn, message: str) -> None:
        self._desk = desk
        self._turn = turn
        self._message = message
        self.calls = 0
        self.found: OrderFacts | None = None  # the order a call found (its items get cards)

    @property
    def definitions(self) -> Sequence[dict[str, Any]]:
        return (LOOKUP_ORDER_TOOL,)

    async def run(self, name: str, arguments: str) -> str:
        self.calls += 1
        if name != TOOL_NAME:
            return json.dumps({"error": f"unknown tool {name[:40]!r}"})
        text, result = await self._desk.run_tool(self._turn, self._message, arguments)
        if result is not None and result.outcome is LookupOutcome.FOUND:
            self.found = result.facts
        return text
