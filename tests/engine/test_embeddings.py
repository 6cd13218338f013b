"""Embedders: the bundled MiniLM for real, OpenAI through the real client and a fake server."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import pytest

from core.errors import ConfigurationError, UpstreamError
from core.settings import Settings
from emulators.openai import FakeOpenAI, Fault, pseudo_embedding
from engine.embeddings import (
    MINILM_SPACE,
    OPENAI_SPACE,
    Embedder,
    OpenAIEmbedder,
    build_embedder,
    embedder_from_settings,
    minilm_query,
    shared_local_embedder,
)
from engine.embeddings.minilm_query import QueryEncoder
from engine.model_io.retry import RetryPolicy

FAST_RETRY = RetryPolicy(max_retries=2, base_delay_s=0.01, max_delay_s=0.05)


def largest_difference(a: list[float], b: list[float]) -> float:
    return max(abs(x - y) for x, y in zip(a, b, strict=True))


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def norm(v: list[float]) -> float:
    return math.sqrt(sum(x * x for x in v))


def openai_embedder(fake: FakeOpenAI, **kwargs: Any) -> OpenAIEmbedder:
    return OpenAIEmbedder(
        api_key=fake.api_key, base_url=fake.base_url, retry=FAST_RETRY, timeout_s=5, **kwargs
    )


# -- local MiniLM ----------------------------------------------------------------------------


async def test_local_minilm_embeds_unit_vectors_with_meaningful_similarity() -> None:
    embedder = shared_local_embedder()
    assert isinstance(embedder, Embedder)
    assert embedder.space == MINILM_SPACE and embedder.space.dimensions == 384
    jacket, raincoat, cake = await embedder.embed_documents(
        [
            "Waterproof rain jacket with taped seams",
            "A raincoat that keeps you dry in a storm",
            "Chocolate cake recipe with buttercream",
        ]
    )
    assert len(jacket) == 384
    assert all(abs(norm(v) - 1.0) < 1e-4 for v in (jacket, raincoat, cake))
    assert cosine(jacket, raincoat) > cosine(jacket, cake) + 0.2


async def test_local_minilm_query_matches_document_embedding_and_keeps_order() -> None:
    embedder = shared_local_embedder()
    texts = [f"product number {i} in blue" for i in range(70)]  # more than one batch of 64
    vectors = await embedder.embed_documents(texts)
    assert len(vectors) == 70
    query = await embedder.embed_query(texts[65])
    assert cosine(query, vectors[65]) > 0.9999
    assert await embedder.embed_documents([]) == []


QUESTIONS_OF_EVERY_LENGTH = [
    "waterproof?",
    "is this jacket warm enough for skiing in the alps in january, and does it run small?",
    " ".join(f"word{i}" for i in range(400)),  # past the 256-token limit: truncated alike
]


async def test_local_minilm_query_path_gives_the_documents_vector() -> None:
    # Questions run through the transformer compiled into ONNX Runtime; it must agree with
    # the model (documents go through `encode`) at any length.
    embedder = shared_local_embedder()
    documents = await embedder.embed_documents(QUESTIONS_OF_EVERY_LENGTH)
    for text, document in zip(QUESTIONS_OF_EVERY_LENGTH, documents, strict=True):
        query = await embedder.embed_query(text)
        assert largest_difference(query, document) < 1e-5
    assert embedder.query_runtime == "onnxruntime"


@pytest.mark.parametrize("runtimes", [("torchscript",), ()], ids=["torchscript", "modules"])
async def test_minilm_query_fallbacks_give_the_documents_vector(runtimes: tuple) -> None:
    # Where ONNX Runtime cannot run the graph, the TorchScript trace takes the questions,
    # and failing that the model's own modules: the same vectors, slower.
    embedder = shared_local_embedder()
    documents = await embedder.embed_documents(QUESTIONS_OF_EVERY_LENGTH)
    encoder = QueryEncoder(embedder._model_loaded(), runtimes=runtimes)
    for text, document in zip(QUESTIONS_OF_EVERY_LENGTH, documents, strict=True):
        query = encoder.encode(text)
        assert largest_difference(query, document) < 1e-5
    assert encoder.runtime == (runtimes[0] if runtimes else "modules")


async def test_minilm_query_path_falls_back_when_a_runtime_fails(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # An ONNX Runtime that cannot load the graph (a future version, a missing wheel) costs
    # speed, never an answer: the next runtime takes the questions, and the log says why.
    def broken(*_args: Any) -> Any:
        raise ImportError("onnxruntime is not installed")

    monkeypatch.setitem(minilm_query._COMPILERS, "onnxruntime", broken)
    embedder = shared_local_embedder()
    encoder = QueryEncoder(embedder._model_loaded())
    with caplog.at_level("WARNING", logger="engine.embeddings.minilm_query"):
        query = encoder.encode("waterproof?")
    assert encoder.runtime == "torchscript"
    assert "cannot run through onnxruntime: onnxruntime is not installed" in caplog.text
    (document,) = await embedder.embed_documents(["waterproof?"])
    assert largest_difference(query, document) < 1e-5


async def test_local_minilm_runs_off_the_event_loop_and_is_shared() -> None:
    embedder = shared_local_embedder()
    assert build_embedder("local") is embedder  # one model per process
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.001)

    task = asyncio.create_task(ticker())
    texts = ["a long product description about hiking boots " * 10] * 32
    results = await asyncio.gather(
        embedder.embed_documents(texts), embedder.embed_query("hiking boots")
    )
    task.cancel()
    assert len(results[0]) == 32 and len(results[1]) == 384
    assert ticks > 5, "the event loop was blocked while embedding"


# -- OpenAI ----------------------------------------------------------------------------------


async def test_openai_embedder_requests_384_dimensions_and_decodes_base64(
    fake_openai: FakeOpenAI,
) -> None:
    embedder = openai_embedder(fake_openai)
    assert embedder.space == OPENAI_SPACE
    assert embedder.space.dimensions == MINILM_SPACE.dimensions
    assert embedder.space.name != MINILM_SPACE.name  # same column, never mixed
    vectors = await embedder.embed_documents(["red scarf", "green hat"])
    request = fake_openai.requests_to("/v1/embeddings")[0]
    assert request.body["model"] == "text-embedding-3-small"
    assert request.body["dimensions"] == 384
    assert request.body["encoding_format"] == "base64"  # the client's own default
    assert vectors[1] == pytest.approx(pseudo_embedding("green hat", 384), abs=1e-6)
    assert await embedder.embed_query("red scarf") == pytest.approx(vectors[0])
    await embedder.aclose()


async def test_openai_embedder_batches_at_most_2048_inputs(fake_openai: FakeOpenAI) -> None:
    embedder = openai_embedder(fake_openai)
    texts = [f"item {i}" for i in range(2050)] + [""]
    vectors = await embedder.embed_documents(texts)
    sizes = [len(r.body["input"]) for r in fake_openai.requests_to("/v1/embeddings")]
    assert sizes == [2048, 3]
    assert len(vectors) == 2051
    assert vectors[2049] == pytest.approx(pseudo_embedding("item 2049", 384), abs=1e-6)
    assert fake_openai.requests_to("/v1/embeddings")[1].body["input"][-1] == " "  # not ""


async def test_openai_embedder_retries_rate_limits_and_server_errors(
    fake_openai: FakeOpenAI,
) -> None:
    fake_openai.inject(
        Fault("status", status=429, retry_after_s=0.02, path="/v1/embeddings"),
        Fault("status", status=500, path="/v1/embeddings"),
    )
    vectors = await openai_embedder(fake_openai).embed_documents(["boots"])
    assert len(vectors) == 1
    assert len(fake_openai.requests_to("/v1/embeddings")) == 3


async def test_openai_embedder_retries_a_timeout(fake_openai: FakeOpenAI) -> None:
    fake_openai.inject(Fault("slow_first_token", delay_s=1.0, path="/v1/embeddings"))
    embedder = OpenAIEmbedder(
        api_key=fake_openai.api_key, base_url=fake_openai.base_url, retry=FAST_RETRY, timeout_s=0.2
    )
    assert len(await embedder.embed_query("boots")) == 384
    assert len(fake_openai.requests_to("/v1/embeddings")) == 2


async def test_openai_embedder_gives_up_with_a_typed_error(fake_openai: FakeOpenAI) -> None:
    fake_openai.inject(*[Fault("status", status=503, path="/v1/embeddings")] * 3)
    with pytest.raises(UpstreamError) as caught:
        await openai_embedder(fake_openai).embed_documents(["boots"])
    assert caught.value.status_code == 502
    assert len(fake_openai.requests_to("/v1/embeddings")) == 3  # 1 try + 2 retries


async def test_openai_embedder_does_not_retry_a_bad_key(fake_openai: FakeOpenAI) -> None:
    embedder = OpenAIEmbedder(api_key="sk-wrong", base_url=fake_openai.base_url, retry=FAST_RETRY)
    with pytest.raises(UpstreamError):
        await embedder.embed_query("boots")
    assert len(fake_openai.requests_to("/v1/embeddings")) == 1


def test_build_embedder_validates_its_provider() -> None:
    with pytest.raises(ConfigurationError):
        build_embedder("openai")
    with pytest.raises(ConfigurationError):
        build_embedder("word2vec")
    assert isinstance(build_embedder("openai", openai_api_key="sk-x"), OpenAIEmbedder)


def test_the_embedder_comes_from_the_process_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "SHOPBOT_OPENAI_API_KEY", "SHOPBOT_EMBEDDING_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    assert embedder_from_settings(Settings()) is shared_local_embedder()
    with pytest.raises(ConfigurationError):
        embedder_from_settings(Settings(embedding_provider="openai"))
    chosen = Settings.model_validate(
        {
            "embedding_provider": "openai",
            "OPENAI_API_KEY": "sk-x",
            "openai_base_url": "http://models.example/v1",
        }
    )
    embedder = embedder_from_settings(chosen)
    assert isinstance(embedder, OpenAIEmbedder) and embedder.space == OPENAI_SPACE
