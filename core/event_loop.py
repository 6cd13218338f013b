"""The event loop the API and the worker's tasks run on: uvloop where it is installed,
else asyncio's own.

uvicorn picks uvloop by itself (`loop="auto"`) only when it runs its own loop; `shopbot
serve` runs uvicorn's server inside a loop of its own making (its runtime opens first, and
`--workers` hands each process a socket), and `asyncio.run` made that the pure-Python loop.
A Celery task runs its coroutine the same way (core.background.celery_app). An answer is
dozens of socket reads and writes (PostgreSQL, Redis, the model's stream, the shopper's),
a sync thousands: uvloop runs that part of the loop in C (bench.load at 100 shoppers: the
API's CPU per answer 45-51 ms on asyncio's loop, 38 ms on uvloop).
`SHOPBOT_EVENT_LOOP=asyncio` is the way back.
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
