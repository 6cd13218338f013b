"""The shared web layer's request helpers: one reading of the caller's address for both
apps, and one place on `app.state` per app runtime."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from starlette.requests import Request

from web.client import UNKNOWN_ADDRESS, ClientInfo, address_identity, get_client_info
from web.runtime import AppStateSlot


def _request(host: str | None, user_agent: str | None = None) -> Request:
    headers = [(b"user-agent", user_agent.encode())] if user_agent is not None else []
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": headers,
        "client": (host, 40000) if host is not None else None,
    }
    return Request(scope)


@pytest.mark.parametrize(
    ("host", "ip"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:DB8::1", "2001:db8::1"),  # normalised for the audit log and the throttle
        ("testclient", None),  # not an address: no `ip`
        (None, None),
    ],
)
def test_the_client_ip_is_a_valid_normalised_ip_or_none(host: str | None, ip: str | None):
    assert get_client_info(_request(host)).ip == ip


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:DB8::1", "2001:DB8::1"),
        ("198.51.100.4:51234", "198.51.100.4:51234"),  # a proxy's value with a port
        ("testclient", "testclient"),
        (None, UNKNOWN_ADDRESS),
    ],
)
def test_the_widget_rate_limit_identity_is_the_peer_host_as_reported(
    host: str | None, address: str
) -> None:
    # As before the shared web layer: hosts that are not addresses must not all share the
    # one `unknown` bucket of the widget's per-address limits.
    assert get_client_info(_request(host)).address == address


def test_the_user_agent_is_bounded() -> None:
    assert get_client_info(_request("192.0.2.1", "x" * 2000)).user_agent == "x" * 500
    assert get_client_info(_request("192.0.2.1")).user_agent is None


def test_ipv6_callers_are_counted_per_64_by_the_sign_in_throttle() -> None:
    assert address_identity("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert address_identity("::ffff:192.0.2.9") == "192.0.2.9"
    assert address_identity("192.0.2.9") == "192.0.2.9"
    assert address_identity(None) == address_identity("garbage") == UNKNOWN_ADDRESS
    assert ClientInfo(ip=None, user_agent=None).address == UNKNOWN_ADDRESS


def test_a_runtime_is_installed_once_per_app_and_read_back() -> None:
    slot: AppStateSlot[dict[str, int]] = AppStateSlot("shopbot_test_runtime")
    app = FastAPI()
    runtime = {"n": 1}
    slot.install(app, runtime)
    assert slot.get(app) is runtime
    assert app.state.shopbot_test_runtime is runtime
    with pytest.raises(RuntimeError, match="already set"):
        slot.install(app, {"n": 2})
    assert slot.get(app) is runtime
