"""`FakeOpenAI`: a faithful fake of the OpenAI HTTP API, for the real `openai` client.

Runs a Starlette app under uvicorn on a background thread at 127.0.0.1 on a free port.
Speaks the real wire format (see `wire.py`): `chat.completion` / `chat.completion.chunk`
objects, SSE with `data: [DONE]`, the `stream_options.include_usage` usage chunk,
`/v1/embeddings` with `dimensions` and base64 `encoding_format`, bearer auth and the
`{"error": {...}}` shape.

Tests script it: `reply_with(...)` queues canned answers, `reply_fn` computes one from the
request messages, `inject(Fault(...))` queues faults consumed one per request, and
`requests` records every request received so tests can read the prompt that was sent.
Function tools: `tools.py` says when the fake calls one (streamed `delta.tool_calls`,
finish_reason "tool_calls") and what it answers to the tool's result.
"""

from __future__ import annotations

import asyncio
import base64
import json
import struct
import threading
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from emulators.openai.tools import (
    tool_call_chunks,
    tool_call_for,
    tool_call_message,
    tool_message_error,
    tool_summary,
)
from emulators.openai.wire import (
    DEFAULT_API_KEY,
    DEFAULT_EMBEDDING_DIMENSIONS,
    DEFAULT_REPLY,
    MAX_EMBEDDING_INPUTS,
    Fault,
    RecordedRequest,
    ReplyFn,
    Script,
    count_tokens,
    error_response,
    pseudo_embedding,
    split_into_deltas,
)
from emulators.server import BackgroundServer, ServedInBackground


class FakeOpenAI(ServedInBackground):
    def __init__(self, *, api_key: str = DEFAULT_API_KEY) -> None:
        self.api_key = api_key
        self.requests: list[RecordedRequest] = []
        self._script = Script()
        self._lock = threading.Lock()
        self._server: BackgroundServer | None = None
        self._port = 0
        self.app = Starlette(
            routes=[
                Route("/v1/chat/completions", self._chat_completions, methods=["POST"]),
                Route("/v1/embeddings", self._embeddings, methods=["POST"]),
            ]
        )

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/v1"

    def start(self) -> FakeOpenAI:
        self._server = BackgroundServer(self.app, name="fake-openai", log_level="critical")
        self._port = self._server.port
        self._server.start()
        return self

    # -- scripting -------------------------------------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self._script = Script()
            self.requests.clear()

    def reply_with(self, *answers: str) -> None:
        with self._lock:
            self._script.replies.extend(answers)

    def reply_fn(self, fn: ReplyFn | None) -> None:
        with self._lock:
            self._script.reply_fn = fn

    def inject(self, *faults: Fault) -> None:
        with self._lock:
            self._script.faults.extend(faults)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def _next_fault(self, path: str) -> Fault | None:
        with self._lock:
            faults = self._script.faults
            for i, fault in enumerate(faults):
                if fault.path == path:
                    del faults[i]
                    return fault
        return None

    def _next_reply(self, messages: list[dict[str, Any]]) -> str:
        with self._lock:
            if self._script.replies:
                return self._script.replies.popleft()
            fn = self._script.reply_fn
        if fn:
            return fn(messages)
        return tool_summary(messages) or DEFAULT_REPLY

    # -- shared request handling -----------------------------------------------------------

    async def _admit(self, request: Request) -> tuple[dict[str, Any] | None, Response | None]:
        """Record, authenticate and parse; returns (body, None) or (None, error response)."""
        try:
            body = await request.json()
        except json.JSONDecodeError:
            body = None
        with self._lock:
            self.requests.append(
                RecordedRequest(request.url.path, dict(request.headers), body or {})
            )
        auth = request.headers.get("authorization", "")
        if auth != f"Bearer {self.api_key}":
            shown = auth.removeprefix("Bearer ")[-4:] if auth else ""
            message = (
                f"Incorrect API key provided: sk-...{shown}. You can find your API key at "
                "https://platform.openai.com/account/api-keys."
                if auth
                else "You didn't provide an API key."
            )
            return None, error_response(401, message, "invalid_request_error", "invalid_api_key")
        if not isinstance(body, dict):
            return None, error_response(
                400,
                "We could not parse the JSON body of your request.",
                "invalid_request_error",
                None,
            )
        return body, None

    async def _fault_response(self, fault: Fault | None) -> Response | None:
        if fault is None or fault.kind != "status":
            return None
        if fault.status == 429:
            retry_after = fault.retry_after_s if fault.retry_after_s is not None else 0.0
            return error_response(
                429,
                "Rate limit reached for requests. Please try again in a moment.",
                "requests",
                "rate_limit_exceeded",
                **{
                    "retry-after": f"{retry_after:g}",
                    "retry-after-ms": str(int(retry_after * 1000)),
                    "x-ratelimit-remaining-requests": "0",
                },
            )
        return error_response(
            fault.status,
            "The server had an error while processing your request. Sorry about that!",
            "server_error",
            None,
        )

    # -- /v1/chat/completions --------------------------------------------------------------

    async def _chat_completions(self, request: Request) -> Response:
        body, refusal = await self._admit(request)
        if refusal is not None:
            return refusal
        assert body is not None
        fault = self._next_fault("/v1/chat/completions")
        if (failed := await self._fault_response(fault)) is not None:
            return failed
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages or "model" not in body:
            return error_response(
                400,
                "'messages' and 'model' are required properties.",
                "invalid_request_error",
                None,
            )
        if (invalid := tool_message_error(messages)) is not None:
            return error_response(400, invalid, "invalid_request_error", None)
        call = tool_call_for(body)  # tools.py: when the fake calls a tool
        answer = "" if call is not None else self._next_reply(messages)
        prompt_tokens = sum(count_tokens(str(m.get("content") or "")) for m in messages)
        completion_tokens = count_tokens(answer) + (count_tokens(call["arguments"]) if call else 0)
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
        completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        created = int(time.time())
        model = body["model"]
        if not body.get("stream"):
            if fault is not None and fault.kind == "slow_first_token":
                await asyncio.sleep(fault.delay_s)
            return JSONResponse(
                {
                    "id": completion_id,
                    "object": "chat.completion",
                    "created": created,
                    "model": model,
                    "system_fingerprint": "fp_fake",
                    "choices": [
                        {
                            "index": 0,
                            "message": tool_call_message(call)
                            if call
                            else {"role": "assistant", "content": answer, "refusal": None},
                            "logprobs": None,
                            "finish_reason": "tool_calls" if call else "stop",
                        }
                    ],
                    "usage": usage,
                }
            )
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        events = self._stream_events(
            answer, fault, completion_id, created, model, usage if include_usage else None, call
        )
        return StreamingResponse(events, media_type="text/event-stream")

    async def _stream_events(
        self,
        answer: str,
        fault: Fault | None,
        completion_id: str,
        created: int,
        model: str,
        usage: dict[str, int] | None,
        call: dict[str, Any] | None = None,
    ) -> AsyncIterator[bytes]:
        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> bytes:
            payload: dict[str, Any] = {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "system_fingerprint": "fp_fake",
                "choices": [
                    {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
                ],
            }
            if usage is not None:
                payload["usage"] = None  # the real API sends null here, then a usage chunk
            return f"data: {json.dumps(payload)}\n\n".encode()

        if fault is not None and fault.kind == "slow_first_token":
            await asyncio.sleep(fault.delay_s)
        if call is not None:
            for delta in tool_call_chunks(call):
                yield chunk(delta)
        else:
            yield chunk({"role": "assistant", "content": "", "refusal": None})
        for sent, piece in enumerate(split_into_deltas(answer) if call is None else []):
            if fault is not None and sent == fault.after_chunks:
                if fault.kind == "cut_stream":
                    # Raising inside the body makes uvicorn drop the connection mid-body,
                    # which is what a client sees when a proxy or the upstream dies.
                    raise ConnectionAbortedError("fake OpenAI: stream cut on purpose")
                if fault.kind == "malformed_chunk":
                    yield b'data: {"id": "broken", "choices": [\n\n'
                    return
                if fault.kind == "stall":
                    await asyncio.sleep(fault.delay_s)
            yield chunk({"content": piece})
            await asyncio.sleep(0)
        yield chunk({}, finish_reason="tool_calls" if call is not None else "stop")
        if usage is not None:
            payload = {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "system_fingerprint": "fp_fake",
                "choices": [],
                "usage": usage,
            }
            yield f"data: {json.dumps(payload)}\n\n".encode()
        yield b"data: [DONE]\n\n"

    # -- /v1/embeddings --------------------------------------------------------------------

    async def _embeddings(self, request: Request) -> Response:
        body, refusal = await self._admit(request)
        if refusal is not None:
            return refusal
        assert body is not None
        fault = self._next_fault("/v1/embeddings")
        if (failed := await self._fault_response(fault)) is not None:
            return failed
        if fault is not None and fault.kind == "slow_first_token":
            await asyncio.sleep(fault.delay_s)
        model = body.get("model")
        raw_input = body.get("input")
        inputs = [raw_input] if isinstance(raw_input, str) else raw_input
        if not model or not isinstance(inputs, list) or not inputs:
            return error_response(
                400, "'input' and 'model' are required.", "invalid_request_error", None
            )
        if len(inputs) > MAX_EMBEDDING_INPUTS:
            return error_response(
                400,
                f"'$.input' is invalid: array must have at most {MAX_EMBEDDING_INPUTS} items.",
                "invalid_request_error",
                None,
            )
        if any(isinstance(i, str) and not i for i in inputs):
            return error_response(
                400,
                "'$.input' is invalid. Please check the API reference.",
                "invalid_request_error",
                None,
            )
        dimensions = body.get("dimensions") or DEFAULT_EMBEDDING_DIMENSIONS.get(model, 1536)
        as_base64 = body.get("encoding_format") == "base64"
        data = []
        total_tokens = 0
        for index, item in enumerate(inputs):
            text = item if isinstance(item, str) else " ".join(map(str, item))
            total_tokens += count_tokens(text)
            vector = pseudo_embedding(text, dimensions)
            encoded: Any = (
                base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
                if as_base64
                else vector
            )
            data.append({"object": "embedding", "index": index, "embedding": encoded})
        return JSONResponse(
            {
                "object": "list",
                "data": data,
                "model": model,
                "usage": {"prompt_tokens": total_tokens, "total_tokens": total_tokens},
            }
        )
