"""Conversation history under a token budget.

The newest turns are kept verbatim while they fit. Older turns are not silently dropped:
each becomes one short line in a summary message, so the model still knows what was asked
("earlier the shopper asked about rain jackets"). Only when even the summary lines do not
fit are the oldest of them dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from engine.prompts.fencing import fence
from engine.types import Turn

MESSAGE_OVERHEAD_TOKENS = 4  # role and separators per chat message (OpenAI cookbook figure)
SUMMARY_WORDS = 14
SUMMARY_HEADER = "Summary of the earlier conversation, one line per message:"


@dataclass(frozen=True, slots=True)
class FittedHistory:
    messages: list[dict[str, str]]
    tokens: int
    summarised_turns: int
    dropped_turns: int

    @property
    def trimmed_turns(self) -> int:
        return self.summarised_turns + self.dropped_turns


def turn_message(turn: Turn) -> dict[str, str]:
    # The shopper's past messages are as untrusted as the current one.
    content = fence(turn.content) if turn.role == "user" else turn.content
    return {"role": turn.role, "content": content}


def summary_line(turn: Turn) -> str:
    words = turn.content.split()
    gist = " ".join(words[:SUMMARY_WORDS]) + ("…" if len(words) > SUMMARY_WORDS else "")
    who = "Shopper asked" if turn.role == "user" else "Assistant answered"
    return f"- {who}: {gist}"


def _summary_message(lines: Sequence[str]) -> dict[str, str]:
    return {"role": "user", "content": SUMMARY_HEADER + "\n" + fence("\n".join(lines))}


def fit_history(
    history: Sequence[Turn], budget_tokens: int, count: Callable[[str], int]
) -> FittedHistory:
    if not history or budget_tokens <= 0:
        return FittedHistory([], 0, 0, len(history))
    verbatim = [turn_message(t) for t in history]
    verbatim_cost = [count(m["content"]) + MESSAGE_OVERHEAD_TOKENS for m in verbatim]
    lines = [summary_line(t) for t in history]
    line_cost = [count(line) + 1 for line in lines]  # +1 for the joining newline
    summary_overhead = count(SUMMARY_HEADER) + MESSAGE_OVERHEAD_TOKENS + 6  # header and fence

    n = len(history)
    # Try to keep as many newest turns verbatim as possible, with the rest as summary lines.
    summary_cost_of_first = [0] * (n + 1)  # cost of summarising history[:i]
    for i in range(n):
        summary_cost_of_first[i + 1] = summary_cost_of_first[i] + line_cost[i]
    kept_cost = 0
    best_split = n  # history[best_split:] verbatim; history[:best_split] summarised
    for split in range(n, -1, -1):
        if split < n:
            kept_cost += verbatim_cost[split]
        summary_cost = summary_cost_of_first[split] + (summary_overhead if split else 0)
        if kept_cost + summary_cost > budget_tokens:
            break
        best_split = split

    kept_messages = verbatim[best_split:]
    tokens = sum(verbatim_cost[best_split:])
    # Summarise history[:best_split], dropping the oldest lines if even they do not fit.
    first_line = 0
    summary_budget = budget_tokens - tokens - summary_overhead
    while first_line < best_split and (
        summary_cost_of_first[best_split] - summary_cost_of_first[first_line] > summary_budget
    ):
        first_line += 1
    messages: list[dict[str, str]] = []
    if first_line < best_split:
        messages.append(_summary_message(lines[first_line:best_split]))
        tokens += (
            summary_cost_of_first[best_split] - summary_cost_of_first[first_line] + summary_overhead
        )
    return FittedHistory(
        messages + kept_messages,
        tokens,
        summarised_turns=best_split - first_line,
        dropped_turns=first_line,
    )
