"""What the engine did for one answer, recorded for whoever asked for it (the answer evals).

The eval runner sets a fresh `AnswerTrace` in `ANSWER_TRACE` before each widget request;
`engine.answer` fills it in as the answer is built (the rewritten query, the retrieved
products and documents in rank order, the prompt messages the model received, the
provider's name). Nothing is recorded when no trace is set, which is always the case when
serving shoppers: the cost there is one ContextVar read per answer.

Why a ContextVar and not a parameter: the trace has to cross the whole widget API (session,
chat endpoint, answer pump) without that API knowing about evals. Context variables flow
into an in-process ASGI app (httpx.ASGITransport runs the app in the caller's task), and the
chat endpoint's answer pump (asyncio.create_task) copies the context, so the engine sees the
same mutable trace object the runner set.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

from engine.types import DocumentHit, ProductHit

# Chunk text kept per hit: enough to check evidence, small enough for results.json.
TRACE_TEXT_CHARS = 500


@dataclass(frozen=True, slots=True)
class TracedProduct:
    external_id: str  # the store's product id
    score: float
    text: str  # the evidence chunks the prompt received, joined (shortened)


@dataclass(frozen=True, slots=True)
class TracedDocument:
    title: str
    score: float
    text: str


@dataclass(slots=True)
class AnswerTrace:
    rewritten_query: str | None = None
    products: list[TracedProduct] = field(default_factory=list)  # rank order
    documents: list[TracedDocument] = field(default_factory=list)  # rank order
    prompt: list[dict[str, str]] = field(default_factory=list)  # [{"role", "content"}]
    provider: str | None = None


ANSWER_TRACE: ContextVar[AnswerTrace | None] = ContextVar("shopbot_answer_trace", default=None)


def record_retrieval(
    query: str, hits: Sequence[ProductHit], doc_hits: Sequence[DocumentHit]
) -> None:
    """The standalone query retrieval searched with and what it returned, in rank order."""
    trace = ANSWER_TRACE.get()
    if trace is None:
        return
    trace.rewritten_query = query
    trace.products = [
        TracedProduct(hit.external_id, float(hit.score), _shortened(hit.snippets)) for hit in hits
    ]
    trace.documents = [
        TracedDocument(hit.title, float(hit.score), _shortened(hit.snippets)) for hit in doc_hits
    ]


def record_prompt(messages: Sequence[dict[str, str]], provider: str) -> None:
    """The messages the model received (a copy: the caller's list is not kept alive)."""
    trace = ANSWER_TRACE.get()
    if trace is None:
        return
    trace.prompt = [{"role": m["role"], "content": m["content"]} for m in messages]
    trace.provider = provider


def _shortened(texts: Sequence[str]) -> str:
    return "\n".join(texts)[:TRACE_TEXT_CHARS]
