"""pytest fixtures around the Stripe emulator: one server for the test session, and for
each test a fake with no objects, events, requests, faults or idempotency keys left over.
Registered for every test by the root conftest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulators.stripe import FakeStripe


@pytest.fixture(scope="session")
def fake_stripe_server() -> Iterator[FakeStripe]:
    with FakeStripe() as server:
        yield server


@pytest.fixture
def fake_stripe(fake_stripe_server: FakeStripe) -> FakeStripe:
    """The session's server, reset for this test."""
    fake_stripe_server.reset()
    return fake_stripe_server
