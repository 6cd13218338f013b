"""The guarded httpx client and transport: every request and every redirect hop is
checked, nothing refused reaches the network, and the connection goes to the address
that was checked (the Host header and the TLS name stay the URL's)."""

from __future__ import annotations

import httpx
import pytest

from core.outbound import GuardedTransport, OutboundPolicy, OutboundRefused, guarded_async_client
from emulators.server import BackgroundServer, self_signed_tls
from tests.support.hostile_urls import hostile_urls, matrix_policy
from tests.support.listener import RecordingListener


async def test_the_guarded_client_sends_nothing_to_any_hostile_url() -> None:
    with RecordingListener() as listener:
        policy = matrix_policy(listener.port)
        async with guarded_async_client(policy, timeout=2.0) as client:
            for hostile in hostile_urls(listener.port):
                try:
                    request = client.build_request("GET", hostile.url)
                except (httpx.InvalidURL, httpx.UnsupportedProtocol):
                    continue  # httpx cannot even address it (0177.0.0.1, file://): nothing is sent
                with pytest.raises(OutboundRefused) as refused:
                    await client.send(request)
                assert refused.value.reason == hostile.reason, hostile.url
        assert listener.received == []


async def test_without_the_guard_the_listener_does_receive_these_urls() -> None:
    """The control: the same forms do reach the listener through a plain client, so the
    test above would see a leak."""
    with RecordingListener() as listener:
        async with httpx.AsyncClient(timeout=2.0, trust_env=False) as client:
            for url in (
                f"http://2130706433:{listener.port}/",
                f"http://127.1:{listener.port}/",
                f"http://[::ffff:127.0.0.1]:{listener.port}/",
            ):
                await client.get(url)
        assert len(listener.received) == 3


def _redirecting_app(location: str):
    async def app(scope, receive, send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 302,
                "headers": [(b"location", location.encode())],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    return app


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://2130706433:{port}/",
        "http://[::1]:{port}/",
        "http://localhost:{port}/",
    ],
)
async def test_a_redirect_from_an_allowed_server_to_a_refused_address_is_refused(
    target: str,
) -> None:
    with RecordingListener() as listener:
        origin = BackgroundServer(_redirecting_app(target.format(port=listener.port)))
        origin.start()
        try:
            # The origin alone is allowed (an explicit exception for this one test server).
            policy = OutboundPolicy(
                allow_http=True,
                allowed_hosts=frozenset({"127.0.0.1"}),
                allowed_ports=frozenset({80, origin.port, listener.port}),
            )
            async with guarded_async_client(policy, follow_redirects=True, timeout=2.0) as client:
                with pytest.raises(OutboundRefused) as refused:
                    await client.get(f"http://127.0.0.1:{origin.port}/start")
            assert refused.value.reason in {"link_local", "loopback", "unresolvable"}
        finally:
            origin.stop()
        assert listener.received == []


async def test_the_connection_goes_to_the_checked_address_even_if_the_name_then_moves() -> None:
    answers = [["127.0.0.1"], ["10.9.8.7"], ["10.9.8.7"]]
    asked: list[str] = []

    def rebinding(host: str) -> list[str]:
        asked.append(host)
        return answers[len(asked) - 1]

    with RecordingListener() as listener:
        policy = OutboundPolicy(
            allow_http=True,
            allowed_hosts=frozenset({"shop.test"}),
            allowed_ports=frozenset({listener.port}),
            resolver=rebinding,
        )
        async with guarded_async_client(policy, timeout=2.0) as client:
            response = await client.get(f"http://shop.test:{listener.port}/wp-json/")
        assert response.status_code == 400  # the listener's own answer: we reached 127.0.0.1
        assert asked == ["shop.test"]  # resolved once, by the check; never again to connect
        [request] = listener.received
        assert f"Host: shop.test:{listener.port}".encode() in request


async def test_the_request_is_addressed_to_the_ip_with_the_name_kept_for_host_and_tls() -> None:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    policy = OutboundPolicy(resolver=lambda host: ["93.184.216.34"])
    async with httpx.AsyncClient(
        transport=GuardedTransport(policy, inner=httpx.MockTransport(record))
    ) as client:
        await client.get("https://shop.example.com/wp-json/?a=1")
    [sent] = seen
    assert (
        sent.url.host == "93.184.216.34" and sent.url.scheme == "https" and sent.url.query == b"a=1"
    )
    assert sent.headers["host"] == "shop.example.com"
    assert sent.extensions["sni_hostname"] == "shop.example.com"


async def test_tls_is_verified_against_the_name_not_the_address_connected_to() -> None:
    """The test certificate is for `localhost` and 127.0.0.1. Reached as `localhost` (pinned
    to 127.0.0.1) it verifies; reached as another name pinned to the same address, it must
    not, which shows verification runs on the URL's name."""
    tls = self_signed_tls()

    async def ok(scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    server = BackgroundServer(ok, tls=tls)
    server.start()
    try:

        def policy(name: str) -> OutboundPolicy:
            return OutboundPolicy(
                allowed_hosts=frozenset({name}),
                allowed_ports=frozenset({server.port}),
                resolver=lambda host: ["127.0.0.1"],
            )

        async with guarded_async_client(
            policy("localhost"), verify=tls.client_context(), timeout=5.0
        ) as client:
            assert (await client.get(f"https://localhost:{server.port}/")).text == "ok"
        async with guarded_async_client(
            policy("shop.test"), verify=tls.client_context(), timeout=5.0
        ) as client:
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED|match"):
                await client.get(f"https://shop.test:{server.port}/")
    finally:
        server.stop()


def test_the_guarded_client_refuses_a_transport_or_proxy_of_the_callers() -> None:
    with pytest.raises(TypeError):
        guarded_async_client(
            OutboundPolicy(), transport=httpx.MockTransport(lambda r: httpx.Response(200))
        )
    with pytest.raises(TypeError):
        guarded_async_client(OutboundPolicy(), proxy="http://proxy.internal:3128")


async def test_one_client_resolves_a_name_once_a_minute_and_every_request_is_still_checked() -> (
    None
):
    asked: list[str] = []

    def resolver(host: str) -> list[str]:
        asked.append(host)
        return ["93.184.216.34"]

    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    transport = GuardedTransport(
        OutboundPolicy(resolver=resolver), inner=httpx.MockTransport(record)
    )
    async with httpx.AsyncClient(transport=transport) as client:
        for page in range(3):
            await client.get(f"https://shop.example.com/wp-json/wc/v3/products?page={page}")
        with pytest.raises(OutboundRefused):
            await client.get("https://shop.example.com:8443/")  # the port is checked per request
    assert asked == ["shop.example.com"]
    assert [r.url.host for r in seen] == ["93.184.216.34"] * 3


async def test_when_the_first_checked_address_refuses_the_next_checked_one_is_used() -> None:
    with RecordingListener() as listener:
        # 127.0.0.2 is loopback too but nothing listens there on this port: a fast refusal.
        policy = OutboundPolicy(
            allow_http=True,
            allowed_hosts=frozenset({"shop.test"}),
            allowed_ports=frozenset({listener.port}),
            resolver=lambda host: ["127.0.0.2", "127.0.0.1"],
        )
        async with guarded_async_client(policy, timeout=2.0) as client:
            response = await client.get(f"http://shop.test:{listener.port}/")
        assert response.status_code == 400 and len(listener.received) == 1
