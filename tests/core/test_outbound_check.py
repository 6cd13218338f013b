"""`core.outbound.check_url`: the hostile matrix, the OS's reading of numeric hosts, what
the policy and the settings allow, and what a refusal says (and does not say)."""

from __future__ import annotations

import ipaddress
import socket
import time

import pytest

from core.errors import ConfigurationError, ValidationFailed
from core.outbound import OutboundPolicy, OutboundRefused, check_url, policy_from_settings
from core.outbound.addresses import parse_ip_literal, refusal_reason
from core.settings import Settings
from tests.support.hostile_urls import (
    NAMES,
    PUBLIC_ADDRESS,
    hostile_urls,
    matrix_policy,
    matrix_resolver,
)
from tests.support.listener import RecordingListener

LISTENER_PORT = 47_001  # check_url never connects; the port only has to be allowed


@pytest.mark.parametrize("hostile", hostile_urls(LISTENER_PORT), ids=lambda h: h.url)
async def test_every_hostile_url_is_refused_naming_its_category(hostile) -> None:
    with pytest.raises(OutboundRefused) as refused:
        await check_url(hostile.url, matrix_policy(LISTENER_PORT))
    error = refused.value
    assert error.reason == hostile.reason
    assert (
        error.status_code == 422
        and error.code == "url_not_allowed"
        and isinstance(error, ValidationFailed)
    )
    problem = error.problem()
    assert problem["code"] == "url_not_allowed" and problem["reason"] == hostile.reason
    # The detail never names an address a name resolved to.
    for addresses in NAMES.values():
        for address in addresses:
            assert address not in problem["detail"]


async def test_the_matrix_is_at_least_25_urls_and_aimed_at_the_listener() -> None:
    with RecordingListener() as listener:
        urls = hostile_urls(listener.port)
        assert len(urls) >= 25
        for hostile in urls:
            with pytest.raises(OutboundRefused):
                await check_url(hostile.url, matrix_policy(listener.port))
        assert listener.received == []


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.0.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("0", "0.0.0.0"),
        ("017700000001", "127.0.0.1"),
        ("0xA9.0376.43518", "169.254.169.254"),
        ("::ffff:127.0.0.1", "::ffff:7f00:1"),
    ],
)
def test_numeric_hosts_are_read_as_inet_aton_reads_them(host: str, address: str) -> None:
    assert parse_ip_literal(host) == ipaddress.ip_address(address)


@pytest.mark.parametrize(
    "host",
    [
        "shop.example.com",
        "08.0.0.1",
        "1.2.3.4.5",
        "256.1.1.1.",
        "1e3",
        "١٢٧.0.0.1",
        "0x1_0.0.0.1",
        "+1.0.0.1",
        "4294967296",
    ],
)
def test_names_and_malformed_numbers_are_not_addresses(host: str) -> None:
    assert parse_ip_literal(host) is None


@pytest.mark.parametrize(
    "address",
    [
        PUBLIC_ADDRESS,
        "8.8.8.8",
        "2606:4700:4700::1111",
        "::ffff:8.8.8.8",
        "2002:0808:0808::1",
        "64:ff9b::808:808",
    ],
)
def test_public_addresses_and_embeddings_of_public_ones_pass(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None


async def test_a_public_https_url_passes_and_connects_to_the_checked_address() -> None:
    target = await check_url(
        "https://public.test/wp-json/", OutboundPolicy(resolver=matrix_resolver)
    )
    assert target.host == "public.test" and target.port == 443 and target.address == PUBLIC_ADDRESS


async def test_a_mapped_address_is_connected_to_as_its_ipv4_address() -> None:
    target = await check_url("https://[::ffff:8.8.8.8]/", OutboundPolicy())
    assert target.addresses == ("8.8.8.8",)


async def test_the_default_policy_refuses_plain_http_and_other_ports() -> None:
    policy = OutboundPolicy(resolver=matrix_resolver)
    with pytest.raises(OutboundRefused) as http:
        await check_url("http://public.test/", policy)
    assert http.value.reason == "http"
    with pytest.raises(OutboundRefused) as port:
        await check_url("https://public.test:8443/", policy)
    assert port.value.reason == "port"
    assert (await check_url("https://public.test:80/", policy)).port == 80


async def test_an_allowed_host_is_exempt_from_the_address_check_only() -> None:
    policy = OutboundPolicy(
        allow_http=True, allowed_hosts=frozenset({"127.0.0.1"}), allowed_ports=frozenset({8123})
    )
    assert (await check_url("http://127.0.0.1:8123/", policy)).address == "127.0.0.1"
    for url, reason in [
        ("http://127.0.0.1:8124/", "port"),
        ("http://localhost:8123/", "unresolvable"),
        ("http://2130706433:8123/", "loopback"),
        ("http://[::1]:8123/", "loopback"),
        ("ftp://127.0.0.1:8123/", "scheme"),
    ]:
        with pytest.raises(OutboundRefused) as refused:
            await check_url(url, policy)
        assert refused.value.reason == reason, url


async def test_a_name_that_does_not_resolve_is_refused_as_unresolvable() -> None:
    with pytest.raises(OutboundRefused) as refused:
        await check_url("https://no-such-shop.invalid/", OutboundPolicy())
    assert refused.value.reason == "unresolvable"


async def test_a_name_server_slower_than_the_timeout_is_refused_at_the_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On the system resolver (a thread): the lookup cannot hold the request past the
    policy's timeout, however long the name server takes."""

    def slow_getaddrinfo(*args: object, **kwargs: object) -> list:
        time.sleep(2.0)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_ADDRESS, 0))]

    monkeypatch.setattr(socket, "getaddrinfo", slow_getaddrinfo)
    started = time.monotonic()
    with pytest.raises(OutboundRefused) as refused:
        await check_url("https://slow-dns.example/", OutboundPolicy(resolve_timeout_s=0.2))
    assert refused.value.reason == "unresolvable"
    assert time.monotonic() - started < 1.5


async def test_a_name_resolving_inside_reads_exactly_like_a_name_that_does_not_resolve() -> None:
    """No oracle for internal names: the problem for a name that resolves to a loopback,
    private or metadata address is the one for a name that does not exist."""
    problems = []
    for url in (
        "https://loopback.test/",
        "https://mixed-private.test/",
        "https://metadata.test/",
        "https://no-such-shop.invalid/",
    ):
        with pytest.raises(OutboundRefused) as refused:
            await check_url(url, OutboundPolicy(resolver=matrix_resolver))
        problems.append(refused.value.problem())
    assert all(problem == problems[0] for problem in problems)
    assert problems[0]["reason"] == "unresolvable"


def test_policy_from_settings_is_strict_by_default_and_reads_the_opt_ins() -> None:
    default = policy_from_settings(Settings())
    assert default.allow_http is False and default.allowed_hosts == frozenset()
    assert default.allowed_ports == frozenset({443, 80})
    opted = policy_from_settings(
        Settings(
            outbound_allow_http=True,
            outbound_allowed_hosts=" 127.0.0.1, Shop.Local. ",
            outbound_allowed_ports="443,8080",
        )
    )
    assert opted.allow_http is True
    assert opted.allowed_hosts == frozenset({"127.0.0.1", "shop.local"})
    assert opted.allowed_ports == frozenset({443, 8080})
    with pytest.raises(ConfigurationError):
        policy_from_settings(Settings(outbound_allowed_ports="443,http"))
