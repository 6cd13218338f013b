"""Shared CLI plumbing: the settings (with `--data-dir`) and running async commands."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from core.event_loop import LoopChoice, run_loop
from core.settings import Settings, get_settings

T = TypeVar("T")

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help=(
            "Where the embedded database and generated secrets live "
            "(used when DATABASE_URL is unset)."
        ),
    ),
]


def settings_for(data_dir: Path | None) -> Settings:
    settings = get_settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    return settings


def run_async(factory: Callable[[], Coroutine[Any, Any, T]], loop: LoopChoice = "asyncio") -> T:
    """`loop`: the event loop's kind (core.event_loop); what serves the API passes the
    settings' choice, a command that only talks to the database keeps asyncio's."""
    # pgserver's platformdirs call warns on machines without XDG_RUNTIME_DIR; not actionable.
    warnings.filterwarnings("ignore", module="platformdirs")
    return run_loop(factory, loop)
