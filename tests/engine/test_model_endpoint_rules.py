"""The rule that pairs keys with endpoints (engine.llm.endpoints.resolve_endpoint), and the
bound on what a merchant's endpoint may send back: an endless SSE line or a compression bomb
is an UpstreamError, never an answer that grows without end."""

from __future__ import annotations

import gzip

import pytest

from core.errors import UpstreamError
from core.outbound import OutboundPolicy
from emulators.server import BackgroundServer
from engine.llm.base import StreamFailure, TextDelta
from engine.llm.bot_models import build_llm
from engine.llm.endpoints import (
    OPENAI_PUBLIC_BASE_URL,
    PlatformModel,
    describe_url,
    resolve_endpoint,
)
from engine.types import LLMSettings

MERCHANT_KEY = "sk-merchant-own-key-4821"

PLATFORM = PlatformModel(api_key="sk-platform", base_url="https://llm.platform.example/v1")


@pytest.mark.parametrize(
    ("settings", "own_key", "expected"),
    [
        (LLMSettings(), None, ("sk-platform", "https://llm.platform.example/v1", False)),
        (
            LLMSettings(provider="openai", base_url="https://evil.example/v1"),
            None,
            ("sk-platform", "https://llm.platform.example/v1", False),
        ),
        (
            LLMSettings(provider="openai", base_url="https://models.shop.example/v1"),
            "sk-own",
            ("sk-own", "https://models.shop.example/v1", True),
        ),
        (LLMSettings(provider="platform"), "sk-own", ("sk-own", OPENAI_PUBLIC_BASE_URL, False)),
        (
            LLMSettings(provider="offline", base_url="https://models.shop.example/v1"),
            "sk-own",
            (None, None, False),
        ),
    ],
)
def test_the_platform_key_only_ever_pairs_with_the_platform_endpoint(
    settings: LLMSettings, own_key: str | None, expected: tuple
) -> None:
    endpoint = resolve_endpoint(settings, platform=PLATFORM, own_key=own_key)
    assert (endpoint.api_key, endpoint.base_url, endpoint.merchant_given) == expected


def test_describe_url_keeps_only_scheme_host_and_port() -> None:
    assert (
        describe_url("https://u:p@models.example:8443/v1/chat?key=abc")
        == "https://models.example:8443"
    )


def _endpoint_answering(body: bytes, headers: list[tuple[bytes, bytes]]):
    async def app(scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for start in range(0, len(body), 2**20):
            await send(
                {
                    "type": "http.response.body",
                    "body": body[start : start + 2**20],
                    "more_body": True,
                }
            )
        await send({"type": "http.response.body", "body": b""})

    return app


SSE = [(b"content-type", b"text/event-stream")]
JSON_GZIP = [(b"content-type", b"application/json"), (b"content-encoding", b"gzip")]


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b"data: {" + b"x" * (40 * 2**20), SSE),  # one endless SSE line
        (
            gzip.compress(b"data: " + b" " * (40 * 2**20)),
            [*SSE, (b"content-encoding", b"gzip")],
        ),  # a bomb
    ],
    ids=["endless line", "compressed"],
)
async def test_a_merchant_endpoint_cannot_send_an_answer_without_bound(
    body: bytes, headers: list
) -> None:
    server = BackgroundServer(_endpoint_answering(body, headers))
    server.start()
    try:
        policy = OutboundPolicy(
            allow_http=True,
            allowed_hosts=frozenset({"127.0.0.1"}),
            allowed_ports=frozenset({server.port}),
        )
        settings = LLMSettings(
            provider="openai", base_url=f"http://127.0.0.1:{server.port}/v1", max_retries=0
        )
        llm = build_llm(settings, platform=PlatformModel(), own_key=MERCHANT_KEY, outbound=policy)
        with pytest.raises(UpstreamError):
            async for delta in llm.stream([{"role": "user", "content": "hi"}], settings):
                assert not isinstance(delta, TextDelta | StreamFailure)
        with pytest.raises(UpstreamError):
            await llm.complete([{"role": "user", "content": "hi"}], settings)
    finally:
        server.stop()
