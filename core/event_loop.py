"""The event loop the API and the worker's tenant tasks run on (`SHOPBOT_EVENT_LOOP`):
asyncio's own by default, uvloop on request (`uvloop`, or `auto`: uvloop where installed).

uvicorn picks uvloop by itself (`loop="auto"`) only when it runs its own loop; `shopbot
serve` runs uvicorn's server inside a loop of its own making (its runtime opens first, and
`--workers` hands each process a socket), and a Celery task runs its coroutine the same way
(core.background.celery_app), so the choice is made here. Measured in bench.load
(DEPLOYMENT.md, 2026-12-07): at 100 shoppers uvloop cut the API's CPU per answer from 45-51
to 38 ms and the first-token overhead p50 by about 10 ms; at 500 shoppers, two pairs of
runs, it saved no CPU (43-52 against 42-45 ms per answer) and the overhead p50 alone was
higher (54-55 against 40-44 ms). Until it wins where the load is, asyncio stays the default.
"""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Callable, Coroutine
from typing import Any, Literal, TypeVar

from core.errors import ConfigurationError

T = TypeVar("T")
LoopChoice = Literal["auto", "uvloop", "asyncio"]


def uvloop_installed() -> bool:
    return importlib.util.find_spec("uvloop") is not None


def check_loop_choice(choice: LoopChoice) -> None:
    """ConfigurationError when the choice cannot be honoured here (uvloop not installed):
    `shopbot serve` checks before it starts anything, so its processes never crash-loop on
    it."""
    if choice == "uvloop" and not uvloop_installed():
        raise ConfigurationError(
            "SHOPBOT_EVENT_LOOP=uvloop, but uvloop is not installed (it comes with "
            "uvicorn[standard] on Linux and macOS); install it or use auto or asyncio."
        )


def run_loop(main: Callable[[], Coroutine[Any, Any, T]], choice: LoopChoice) -> T:
    """Run `main()` to completion on the chosen loop (`auto`: uvloop when installed)."""
    check_loop_choice(choice)
    if choice == "asyncio" or not uvloop_installed():
        return asyncio.run(main())
    import uvloop

    return uvloop.run(main())


def running_loop_kind() -> str:
    """`uvloop` or `asyncio`: what the running loop is (the API logs it at start-up)."""
    module = type(asyncio.get_running_loop()).__module__
    return "uvloop" if module.startswith("uvloop") else "asyncio"
