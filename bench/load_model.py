"""bench.load's model: the paced fake OpenAI server in a process of its own.

With 500 shoppers the fake streams hundreds of answers at once; in a thread of the bench it
would share the load generator's GIL and event loop, and its lag would read as ours. In its
own process it measures each answer's own time (request arrived -> the delta that ends the
first sentence, `PacedFakeOpenAI`'s timing) on its own clock, and the bench subtracts that
from what its HTTP client saw, as bench/widget does. Only durations cross the process
boundary, never instants.

Each shopper's message carries a marker the bench matches timings with: `[q<n>]` for a
measured question, `[h<n>]` for a held one. A held stream pauses just after its first
sentence (so the shopper has its first `token` and the stream stays open) until
`POST /bench/release`, while a `POST /bench/hold` has armed it: how the bench holds N
streams open at once to weigh them.

It serves the embeddings too (`pseudo_embedding`: a hash, no model), for the API's queries
and the worker's sync alike.

`python -m bench.load_model PORT` runs it; `served_model()` starts one and always stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bench.widget import MODEL_REPLY
from bench.widget_report import FIRST_TOKEN_S, TOKEN_EVERY_S
from bench.widget_setup import ROOT, free_port, healthy
from emulators.openai import PacedFakeOpenAI
from emulators.openai.paced import _ARRIVED, _content
from emulators.openai.wire import DEFAULT_API_KEY
from engine.guardrails.spans import sentence_ends

MARKER = re.compile(r"\[([qh]\d+)\]")
_KEY: contextvars.ContextVar[str | None] = contextvars.ContextVar("load_model_key", default=None)


class KeyedPacedFake(PacedFakeOpenAI):
    """`PacedFakeOpenAI` whose timings are kept per shopper marker, with held streams."""

    def __init__(self) -> None:
        super().__init__(
            sentence_ends=sentence_ends,
            first_token_delay_s=FIRST_TOKEN_S,
            token_delay_s=TOKEN_EVERY_S,
        )
        self.reply_fn(lambda _messages: MODEL_REPLY)
        self.first_sentence_s: dict[str, float] = {}
        self.held = 0
        self._release: asyncio.Event | None = None
        self.app.router.routes.extend(
            [
                Route("/bench/timings", self._timings_route, methods=["GET"]),
                Route("/bench/hold", self._hold_route, methods=["POST"]),
                Route("/bench/release", self._release_route, methods=["POST"]),
            ]
        )

    async def _chat_completions(self, request: Request) -> Response:
        body = await request.json()  # Starlette keeps it: the parent reads it again
        user_turns = [m for m in body.get("messages") or [] if m.get("role") == "user"]
        found = MARKER.findall(json.dumps(user_turns[-1:]))
        _KEY.set(found[-1] if found else None)
        return await super()._chat_completions(request)

    async def _stream_events(self, answer: str, *args: Any) -> AsyncIterator[bytes]:
        key = _KEY.get()
        ends = self.sentence_ends(answer)
        first_end = ends[0] if ends else len(answer)
        sent, holding = 0, key is not None and key.startswith("h")
        async for chunk in super()._stream_events(answer, *args):
            yield chunk
            sent += len(_content(chunk))
            # Held one delta past the first sentence: our server has then seen its end.
            if holding and sent > first_end:
                holding = False
                if (release := self._release) is not None:  # armed: a burst is on
                    self.held += 1
                    await release.wait()
                    self.held -= 1
        if key is not None:
            arrived = _ARRIVED.get()
            for timing in reversed(self.timings):
                if timing.arrived == arrived:
                    self.first_sentence_s[key] = timing.first_sentence_s
                    break

    async def _timings_route(self, _request: Request) -> Response:
        self.requests.clear()  # the recorded prompts are for tests; a long run would hoard them
        return JSONResponse({"first_sentence_s": self.first_sentence_s, "held": self.held})

    async def _hold_route(self, _request: Request) -> Response:
        self._release = asyncio.Event()
        return JSONResponse({"holding": True})

    async def _release_route(self, _request: Request) -> Response:
        if self._release is not None:
            self._release.set()
        self._release = None
        return JSONResponse({"released": True})


@contextlib.contextmanager
def served_model(data_dir: Path) -> Iterator[str]:
    """The fake in a subprocess; yields its OpenAI base URL (`.../v1`); always stopped."""
    port = free_port()
    log = (data_dir / "model.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.load_model", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    with healthy(
        process, base, log, exited=lambda: f"the fake model exited; see {log.name}"
    ) as url:
        yield url + "/v1"


async def model_timings(client: Any, base_url: str) -> tuple[dict[str, float], int]:
    """(first-sentence seconds per marker, streams held now) from the fake."""
    response = await client.get(base_url.removesuffix("/v1") + "/bench/timings")
    response.raise_for_status()
    payload = response.json()
    return payload["first_sentence_s"], payload["held"]


async def hold_from_now(client: Any, base_url: str) -> None:
    """Held streams pause after their first sentence from now until `release_held`."""
    response = await client.post(base_url.removesuffix("/v1") + "/bench/hold")
    response.raise_for_status()


async def release_held(client: Any, base_url: str) -> None:
    """Every held stream goes on, and no stream is held until the next `hold_from_now`."""
    response = await client.post(base_url.removesuffix("/v1") + "/bench/release")
    response.raise_for_status()


API_KEY = DEFAULT_API_KEY


def _serve(port: int) -> None:
    import uvicorn

    fake = KeyedPacedFake()
    fake.app.router.routes.append(Route("/healthz", lambda _r: JSONResponse({"ok": True})))
    uvicorn.run(fake.app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
