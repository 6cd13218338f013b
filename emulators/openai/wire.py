"""The OpenAI wire format the fake speaks: error bodies, scripted faults, recorded requests,
completion and chunk objects, and deterministic token counts and embeddings."""

from __future__ import annotations

import hashlib
import math
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from starlette.responses import JSONResponse, Response

DEFAULT_API_KEY = "sk-test-fake-openai"
DEFAULT_REPLY = "This is a reply from the fake OpenAI server."
DEFAULT_EMBEDDING_DIMENSIONS = {"text-embedding-3-small": 1536, "text-embedding-3-large": 3072}
MAX_EMBEDDING_INPUTS = 2048

FaultKind = Literal["status", "slow_first_token", "cut_stream", "malformed_chunk", "stall"]


@dataclass(frozen=True)
class Fault:
    """One injected failure, consumed by the next request to `path`.

    status: answer with `status` (429 carries retry-after headers).
    slow_first_token: wait `delay_s` before the first byte of the response.
    cut_stream: send `after_chunks` content chunks, then drop the connection.
    malformed_chunk: send `after_chunks` content chunks, then a chunk that is not JSON.
    stall: send `after_chunks` content chunks, then hang for `delay_s` with the connection
      open (an upstream stuck mid-answer), then finish the answer.
    """

    kind: FaultKind
    status: int = 500
    retry_after_s: float | None = None
    delay_s: float = 0.0
    after_chunks: int = 1
    path: str = "/v1/chat/completions"


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))


ReplyFn = Callable[[list[dict[str, Any]]], str]


@dataclass
class Script:
    replies: deque[str] = field(default_factory=deque)
    reply_fn: ReplyFn | None = None
    faults: deque[Fault] = field(default_factory=deque)


def error_response(
    status: int, message: str, type_: str, code: str | None, **headers: str
) -> Response:
    body = {"error": {"message": message, "type": type_, "param": None, "code": code}}
    return JSONResponse(body, status_code=status, headers=headers)


def count_tokens(text: str) -> int:
    # The fake's own deterministic approximation: a word or punctuation mark is one token.
    return len(re.findall(r"\w+|[^\w\s]", text))


def split_into_deltas(text: str) -> list[str]:
    return re.findall(r"\S+\s*|\s+", text) or [""]


def pseudo_embedding(text: str, dimensions: int) -> list[float]:
    """Deterministic unit vector derived from a hash of the text (same text, same vector)."""
    values: list[float] = []
    counter = 0
    while len(values) < dimensions:
        digest = hashlib.sha256(f"{counter}:{text}".encode()).digest()
        values.extend((b - 127.5) / 127.5 for b in digest)
        counter += 1
    values = values[:dimensions]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]
