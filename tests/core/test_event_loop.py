"""The event loop of the API and the worker's tenant tasks (core/event_loop.py): asyncio's
own by default, uvloop (or auto: uvloop where installed) on request, and a clear
configuration error for a uvloop that is not there."""

from __future__ import annotations

import asyncio
import importlib.util

import pytest
import uvloop

from core.errors import ConfigurationError
from core.event_loop import check_loop_choice, run_loop, running_loop_kind
from core.settings import Settings


async def _loop_and_kind() -> tuple[asyncio.AbstractEventLoop, str]:
    await asyncio.sleep(0)
    return asyncio.get_running_loop(), running_loop_kind()


def test_auto_takes_uvloop_where_it_is_installed() -> None:
    loop, kind = run_loop(_loop_and_kind, "auto")
    assert isinstance(loop, uvloop.Loop)
    assert kind == "uvloop"
    assert isinstance(run_loop(_loop_and_kind, "uvloop")[0], uvloop.Loop)


def test_asyncio_runs_on_asyncios_own_loop() -> None:
    assert Settings().event_loop == "asyncio"  # the default
    loop, kind = run_loop(_loop_and_kind, "asyncio")
    assert not isinstance(loop, uvloop.Loop)
    assert kind == "asyncio"


def test_without_uvloop_auto_falls_back_and_uvloop_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_find_spec = importlib.util.find_spec

    def without_uvloop(name: str, *args: object) -> object:
        return None if name == "uvloop" else real_find_spec(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", without_uvloop)
    assert run_loop(_loop_and_kind, "auto")[1] == "asyncio"
    with pytest.raises(ConfigurationError, match="uvloop is not installed"):
        check_loop_choice("uvloop")
    with pytest.raises(ConfigurationError):
        run_loop(_loop_and_kind, "uvloop")
