"""Where an answer's time to its first token goes, stage by stage, for whoever measures it
(the widget API's `shopbot_answer_stage_seconds` histogram, api/metrics.py).

The API sets a fresh `AnswerStages` in `ANSWER_STAGES` before it starts an answer (the
answer's task copies the context, as with engine.answer_trace); the engine marks the end
of each stage as it gets there; the API marks the first token it hands to the response
and reports the durations. Nothing is marked when no `AnswerStages` is set: the cost is one
ContextVar read per mark.

The stages, each ending at its mark (`STAGES`, in order):
- `session`: the answer's slot taken → the answer started (the widget session read, the
  shopper's limits, the request's body);
- `open_turn`: → the turn's first transaction committed (the bot, the conversation, the
  question stored and admitted);
- `search`: → the retrieval's result (a follow-up's rewrite, the question's embedding,
  both rankers);
- `prompt`: → the model's request about to be sent (the prompt, the answer's guard);
- `model`: → the model's first text (the connection and the model's own first token);
- `first_sentence`: → the first token handed to the response (the checked stream holds the
  text until its first sentence ends, so this is mostly the model's own pace).
A stage is reported only when the stage before it was marked too: an answer without a
search (a refusal, an order, a hand-off) reports `session` and `open_turn` only.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass, field

STAGES = ("session", "open_turn", "search", "prompt", "model", "first_sentence")


@dataclass(slots=True)
class AnswerStages:
    started: float  # time.perf_counter() when the answer's slot was taken
    ended: dict[str, float] = field(default_factory=dict)  # stage -> perf_counter at its end

    def mark(self, stage: str) -> None:
        """`stage` ends now (its first mark counts: a retried model call does not move it)."""
        self.ended.setdefault(stage, time.perf_counter())

    def durations(self) -> dict[str, float]:
        """Seconds per stage, for each stage whose predecessor ended too."""
        seconds: dict[str, float] = {}
        previous: float | None = self.started
        for stage in STAGES:
            end = self.ended.get(stage)
            if end is not None and previous is not None:
                seconds[stage] = end - previous
            previous = end
        return seconds


ANSWER_STAGES: ContextVar[AnswerStages | None] = ContextVar("shopbot_answer_stages", default=None)


def mark_stage(stage: str) -> None:
    """The engine's side: `stage` ends now, when someone measures this answer."""
    stages = ANSWER_STAGES.get()
    if stages is not None:
        stages.mark(stage)
