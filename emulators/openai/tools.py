"""Function tools in the fake's chat completions: when it calls one, and what it says after.

The deterministic rule. A request that offers `tools` gets a tool call instead of text when
its LAST message is the user's and an offered function's parameters can be filled from the
user's words: `billing_email` (or any parameter named `*email*`) from an email address in
that last message, `order_number` (or `*number*`) from the last number of 3 to 10 digits in
the user messages, newest first. The first offered function whose required parameters are
all filled is called (one call, id `call_<hash of the arguments>`). Otherwise the request is
answered with text as usual.

After a tool result (the last message has role `tool`), the reply is the scripted one if
the test queued one (or its `reply_fn`), else a summary of the result (`tool_summary`): for
a found order its `status_meaning` (else "Order N has the status S."), its items and its
tracking notes; for anything
else the result's `reply` text, or a plain "I couldn't look that up."

`tool_message_error` is the API's 400 for a `tool` message that answers no preceding
`tool_calls`, which a client that builds the follow-up request wrongly gets from OpenAI.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_NUMBER_RE = re.compile(r"(?<![\w.@])#?(\d{3,10})(?![\w@])")


def tool_call_for(body: dict[str, Any]) -> dict[str, Any] | None:
    """The call this request gets under the rule above, or None (answer with text)."""
    tools = body.get("tools") or []
    messages = body.get("messages") or []
    if not tools or not messages or messages[-1].get("role") != "user":
        return None
    last = str(messages[-1].get("content") or "")
    emails = _EMAIL_RE.findall(last)
    numbers: list[str] = []
    for message in reversed(messages):
        if message.get("role") == "user" and not numbers:
            numbers = _NUMBER_RE.findall(_EMAIL_RE.sub(" ", str(message.get("content") or "")))
    for tool in tools:
        function = tool.get("function") or {}
        parameters = function.get("parameters") or {}
        arguments: dict[str, str] = {}
        for name in parameters.get("properties") or {}:
            if "email" in name and emails:
                arguments[name] = emails[-1]
            elif "number" in name and numbers:
                arguments[name] = numbers[-1]
        if tool.get("type") == "function" and set(parameters.get("required") or []) <= set(
            arguments
        ):
            encoded = json.dumps(arguments)
            digest = hashlib.sha256(encoded.encode()).hexdigest()[:24]
            return {"id": f"call_{digest}", "name": function.get("name"), "arguments": encoded}
    return None


def tool_summary(messages: list[dict[str, Any]]) -> str | None:
    """The fake's reply to a tool result, or None when the last message is not one."""
    if not messages or messages[-1].get("role") != "tool":
        return None
    try:
        result = json.loads(str(messages[-1].get("content") or ""))
    except ValueError:
        return "I couldn't look that up."
    order = result.get("order") if isinstance(result, dict) else None
    if isinstance(order, dict):
        parts = [
            str(order.get("status_meaning") or "")
            or f"Order {order.get('number')} has the status {order.get('status')}."
        ]
        items = [f"{i['quantity']} × {i['name']}" for i in order.get("items") or []]
        if items:
            parts.append(f"It contains {', '.join(items)}.")
        parts.extend(str(note) for note in order.get("tracking_notes") or [])
        return " ".join(parts)
    if isinstance(result, dict) and isinstance(result.get("reply"), str):
        return str(result["reply"])
    return "I couldn't look that up."


def tool_message_error(messages: list[dict[str, Any]]) -> str | None:
    """OpenAI's message when a `tool` message answers no preceding assistant tool call."""
    open_calls: set[str] = set()
    for message in messages:
        if message.get("role") == "assistant":
            open_calls = {c.get("id") for c in message.get("tool_calls") or []}
        elif message.get("role") == "tool":
            if message.get("tool_call_id") not in open_calls:
                return (
                    "Invalid parameter: messages with role 'tool' must be a response to a "
                    "preceeding message with 'tool_calls'."
                )
    return None


def tool_call_chunks(call: dict[str, Any]) -> list[dict[str, Any]]:
    """The streamed deltas of one call: id, type and name first, then the arguments in
    pieces, as the API streams them."""
    arguments = call["arguments"]
    pieces = [arguments[i : i + 12] for i in range(0, len(arguments), 12)] or [""]
    first = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "index": 0,
                "id": call["id"],
                "type": "function",
                "function": {"name": call["name"], "arguments": ""},
            }
        ],
    }
    rest = [{"tool_calls": [{"index": 0, "function": {"arguments": p}}]} for p in pieces]
    return [first, *rest]


def tool_call_message(call: dict[str, Any]) -> dict[str, Any]:
    return {
        "role": "assistant",
        "content": None,
        "refusal": None,
        "tool_calls": [
            {
                "id": call["id"],
                "type": "function",
                "function": {"name": call["name"], "arguments": call["arguments"]},
            }
        ],
    }
