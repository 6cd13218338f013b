"""pytest fixtures around the OpenAI emulator: one server per test module, a clean script
and request log per test. Registered for every test by the root conftest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulators.openai import FakeOpenAI


@pytest.fixture(scope="module")
def fake_openai_server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def fake_openai(fake_openai_server: FakeOpenAI) -> FakeOpenAI:
    """The module's server with a clean script and request log for this test."""
    fake_openai_server.reset()
    return fake_openai_server
