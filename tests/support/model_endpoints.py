"""The model-endpoint tests' explicit outbound exception for their fake OpenAI servers."""

from __future__ import annotations

from core.outbound import OutboundPolicy
from emulators.openai import FakeOpenAI


def port_of(server: FakeOpenAI) -> int:
    return int(server.base_url.split(":")[2].split("/")[0])


def loopback_policy(*servers: FakeOpenAI) -> OutboundPolicy:
    """Plain http to these 127.0.0.1 servers' ports only: nothing is allowed by default."""
    return OutboundPolicy(
        allow_http=True,
        allowed_hosts=frozenset({"127.0.0.1"}),
        allowed_ports=frozenset(port_of(s) for s in servers),
    )
