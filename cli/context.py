"""Shared CLI plumbing: the settings (with `--data-dir`) and running async commands."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

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


def run_async(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    # pgserver's platformdirs call warns on machines without XDG_RUNTIME_DIR; not actionable.
    warnings.filterwarnings("ignore", module="platformdirs")
    return asyncio.run(factory())
