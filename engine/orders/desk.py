"""Order status for one turn: the offline answerer's replies and the model's `lookup_order`
tool, both through one `check` (attempt limits, then the store's look-up).

What keeps order data where it belongs: the facts go only into this turn's reply (offline)
or this turn's tool message (model), which no other conversation reads; an order turn is
not searched for, embedded, cached or clustered (engine.answer skips retrieval for it);
the logs name the outcome only, never the number, the email or a fact of the order.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from core.ids import TenantId
from engine.offline.phrases import say
from engine.orders.attempts import OrderAttempts
from engine.orders.intent import OrderQuery, has_email
from engine.orders.lookup import (
    LookupOutcome,
    OrderFacts,
    OrderLookup,
    OrderLookupRequest,
    OrderLookupResult,
)

log = logging.getLogger(__name__)

KNOWN_STATES = frozenset(
    {"pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed"}
)
TOOL_NAME = "lookup_order"
LOOKUP_ORDER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": TOOL_NAME,
        "description": (
            "Look up the status, items and tracking notes of the shopper's own order. Call it "
            "only with the order number and the billing email the shopper wrote; both must "
            "match the store's order. Never guess either."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "order_number": {"type": "string", "description": "The order number."},
                "billing_email": {
                    "type": "string",
                    "description": "The order's billing email, as the shopper wrote it.",
                },
            },
            "required": ["order_number", "billing_email"],
            "additionalProperties": False,
        },
    },
}
MODEL_INSTRUCTIONS = (
    "The shopper is asking about an order. To look it up, call the lookup_order tool with the "
    "order number and the billing email address the shopper wrote; if either is missing, ask "
    "for it and mention they can also contact the store{contact}. State only what the tool "
    "returns; never guess an order's status. If the tool finds no order, say that no order "
    "matches that number and email, and share nothing else about it."
)


@dataclass(frozen=True, slots=True)
class OrderTurn:
    """Who asks, and where: the limits count per `shopper` (visitor, else conversation)."""

    tenant_id: TenantId
    bot_id: str
    store_id: uuid.UUID | None
    shopper: str
    language: str = "en"
    support_email: str | None = None


class OrderDesk:
    def __init__(self, lookup: OrderLookup | None, attempts: OrderAttempts | None = None) -> None:
        """`lookup`: the store's orders (None: no store can be asked, every check is
        unavailable)."""
        self._lookup = lookup
        self._attempts = attempts or OrderAttempts()

    async def check(self, turn: OrderTurn, number: str, email: str) -> OrderLookupResult:
        if await self._attempts.blocked(turn.bot_id, turn.shopper):
            log.info("order look-up refused for bot %s: too many failed attempts", turn.bot_id)
            return OrderLookupResult(LookupOutcome.LIMITED)
        if self._lookup is None:
            result = OrderLookupResult(LookupOutcome.UNAVAILABLE)
        else:
            request = OrderLookupRequest(turn.tenant_id, turn.store_id, number, email)
            result = await self._lookup.lookup(request)
        if result.outcome is LookupOutcome.NO_MATCH:
            await self._attempts.record_failure(turn.bot_id, turn.shopper)
        log.info("order look-up for bot %s: %s", turn.bot_id, result.outcome.value)
        return result

    # --- offline -------------------------------------------------------------------------
    async def reply(self, turn: OrderTurn, query: OrderQuery) -> OrderLookupResult | str:
        """The offline answerer's reply: what to ask for, else the look-up's result (its
        text is `describe(result, turn)`)."""
        contact = _contact(turn)
        if query.order_number is None and query.billing_email is None:
            return say(turn.language, "order_ask_both", contact=contact)
        if query.billing_email is None:
            return say(turn.language, "order_ask_email", number=query.order_number, contact=contact)
        if query.order_number is None:
            return say(turn.language, "order_ask_number")
        return await self.check(turn, query.order_number, query.billing_email)

    # --- the model's tool ----------------------------------------------------------------
    async def run_tool(
        self, turn: OrderTurn, message: str, arguments: str
    ) -> tuple[str, OrderLookupResult | None]:
        """The `lookup_order` tool's result for the model, as JSON (and the look-up's result,
        None when none was made). The email must be one the
        shopper wrote in this turn's message: a model talked into guessing emails (or numbers
        with some other shopper's email) gets nothing to work with."""
        try:
            parsed = json.loads(arguments or "{}")
        except ValueError:
            parsed = {}
        number = str(parsed.get("order_number") or "").strip().lstrip("#")
        email = str(parsed.get("billing_email") or "").strip()
        if not number.isdigit():
            return json.dumps({"result": "need_order_number"}), None
        if not email or not has_email(email) or email.lower() not in message.lower():
            return json.dumps({"result": "need_billing_email_from_shopper"}), None
        result = await self.check(turn, number, email)
        return json.dumps(_tool_result(result, turn)), result


def describe(result: OrderLookupResult, turn: OrderTurn) -> str:
    contact = _contact(turn)
    if result.outcome is LookupOutcome.FOUND and result.facts is not None:
        return _facts_text(result.facts, turn.language)
    key = {
        LookupOutcome.NO_MATCH: "order_no_match",
        LookupOutcome.LIMITED: "order_limited",
    }.get(result.outcome, "order_unavailable")
    return say(turn.language, key, contact=contact)


def _facts_text(facts: OrderFacts, language: str) -> str:
    if facts.status in KNOWN_STATES:
        state = say(language, f"order_state_{facts.status}")
    else:
        state = say(language, "order_state_other", status=facts.status)
    sentences = [say(language, "order_found", number=facts.number, date=facts.created, state=state)]
    if facts.items:
        items = ", ".join(
            say(language, "order_item", quantity=i.quantity, name=i.name) for i in facts.items
        )
        sentences.append(say(language, "order_items", items=items))
    if facts.tracking_notes:
        sentences.extend(say(language, "order_tracking", note=n) for n in facts.tracking_notes)
    elif facts.status in ("processing", "completed"):
        sentences.append(say(language, "order_no_tracking"))
    return " ".join(sentences)


def _tool_result(result: OrderLookupResult, turn: OrderTurn) -> dict[str, Any]:
    if result.outcome is LookupOutcome.FOUND and result.facts is not None:
        facts = result.facts
        return {
            "result": "found",
            "order": {
                "number": facts.number,
                "status": facts.status,
                "status_meaning": _facts_text(
                    OrderFacts(facts.number, facts.status, facts.created, (), ()), "en"
                ),
                "date_created": facts.created,
                "items": [{"name": i.name, "quantity": i.quantity} for i in facts.items],
                "tracking_notes": list(facts.tracking_notes),
            },
        }
    return {"result": result.outcome.value, "reply": describe(result, turn)}


def _contact(turn: OrderTurn) -> str:
    if not turn.support_email:
        return ""
    return say(turn.language, "order_contact_at", email=turn.support_email)


def model_instructions(turn: OrderTurn) -> str:
    return MODEL_INSTRUCTIONS.format(
        contact=f" at {turn.support_email}" if turn.support_email else ""
    )
