"""bench.quota's servers: the widget API app (`api.app.create_app`) under uvicorn in a
subprocess of its own, answering with `AnswerService(enforce_quotas=...)`, so the load
generator never competes with it for the GIL or the event loop (a row lock held across a
busy event loop is exactly what the bench must not invent).

`python -m bench.quota_serve DATABASE_URL PORT on|off` runs one; `served()` starts one and
always stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.widget_setup import ROOT, free_port, healthy

SIGNING_KEY = "quota-bench-signing-key-" + "q" * 32


async def _serve(database_url: str, port: int, enforce: bool) -> None:
    import uvicorn
    from sqlalchemy.engine import make_url

    from api.app import create_app
    from api.dependencies import ApiDependencies
    from core.db.database import Database
    from core.settings import Settings
    from engine.answer import AnswerService
    from engine.embeddings import shared_local_embedder
    from engine.retrieval.query_cache import QueryEmbeddingCache

    db = Database.connect(make_url(database_url), pool_size=8)
    service = AnswerService(
        db, shared_local_embedder(), cache=QueryEmbeddingCache(None), enforce_quotas=enforce
    )
    deps = ApiDependencies(
        db=db, settings=Settings(), signing_key=SIGNING_KEY, redis=None, answer_service=service
    )
    config = uvicorn.Config(
        create_app(deps), host="127.0.0.1", port=port, log_level="warning", access_log=False
    )
    try:
        await uvicorn.Server(config).serve()
    finally:
        await db.dispose()


@contextlib.contextmanager
def served(app_url: Any, data_dir: Path, *, enforce: bool) -> Iterator[str]:
    """The app in a subprocess; yields its base URL once `/healthz` answers."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "SENTRY_DSN"}}
    env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"})
    mode = "on" if enforce else "off"
    log = (data_dir / f"serve-{mode}.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.quota_serve",
            app_url.render_as_string(hide_password=False),
            str(port),
            mode,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    with healthy(
        process,
        f"http://127.0.0.1:{port}",
        log,
        exited=lambda: f"the bench server exited; see {log.name}",
    ) as base:
        yield base


if __name__ == "__main__":
    url, port_text, enforce_text = sys.argv[1:4]
    asyncio.run(_serve(url, int(port_text), enforce_text == "on"))
