"""The API's event loop (cli/event_loop.py): uvloop where installed, asyncio on request,
and a clear configuration error for a uvloop that is not there."""

from __future__ import annotations

import asyncio
import importlib.util

import pytest
import uvloop

from cli.event_loop import check_loop_choice, run_server_loop, running_loop_kind
from core.errors import ConfigurationError


async def _loop_and_kind() -> tuple[asyncio.AbstractEventLoop, str]:
    await asyncio.sleep(0)
    return asyncio.get_running_loop(), running_loop_kind()


def test_auto_serves_on_uvloop_where_it_is_installed() -> None:
    loop, kind = run_server_loop(_loop_and_kind, "auto")
    assert isinstance(loop, uvloop.Loop)
    assert kind == "uvloop"


def test_asyncio_is_the_way_back() -> None:
    loop, kind = run_server_loop(_loop_and_kind, "asyncio")
    assert not isinstance(loop, uvloop.Loop)
    assert kind == "asyncio"


def test_without_uvloop_auto_falls_back_and_uvloop_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_find_spec = importlib.util.find_spec

    def without_uvloop(name: str, *args: object) -> object:
        return None if name == "uvloop" else real_find_spec(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", without_uvloop)
    assert run_server_loop(_loop_and_kind, "auto")[1] == "asyncio"
    with pytest.raises(ConfigurationError, match="uvloop is not installed"):
        check_loop_choice("uvloop")
    with pytest.raises(ConfigurationError):
        run_server_loop(_loop_and_kind, "uvloop")
