"""A fake of the OpenAI HTTP API (chat completions, streaming, embeddings) for the real
`openai` client: `FakeOpenAI` in `server.py`, its wire format in `wire.py`, and a variant
that streams at a model's pace and times each answer in `paced.py`."""

from emulators.openai.paced import PacedFakeOpenAI, StreamTiming
from emulators.openai.server import FakeOpenAI
from emulators.openai.wire import (
    DEFAULT_API_KEY,
    DEFAULT_REPLY,
    Fault,
    RecordedRequest,
    ReplyFn,
    pseudo_embedding,
)

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_REPLY",
    "FakeOpenAI",
    "Fault",
    "PacedFakeOpenAI",
    "RecordedRequest",
    "ReplyFn",
    "StreamTiming",
    "pseudo_embedding",
]
