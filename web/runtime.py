"""Where an HTTP app keeps what it builds once from its dependencies (its runtime): on
`app.state`, under a key of its own, put there and read back through one `AppStateSlot`."""

from __future__ import annotations

from typing import Generic, TypeVar

from starlette.applications import Starlette
from starlette.requests import Request

RuntimeT = TypeVar("RuntimeT")


class AppStateSlot(Generic[RuntimeT]):
    """One named place on `app.state`. `from_request` is the FastAPI dependency:
    `Annotated[Runtime, Depends(SLOT.from_request)]`."""

    def __init__(self, key: str) -> None:
        self.key = key

    def install(self, app: Starlette, value: RuntimeT) -> None:
        # Two runtimes on one app would split its counters and limits between them.
        if hasattr(app.state, self.key):
            raise RuntimeError(f"app.state.{self.key} is already set: the API was included twice")
        setattr(app.state, self.key, value)

    def get(self, app: Starlette) -> RuntimeT:
        value: RuntimeT = getattr(app.state, self.key)
        return value

    def from_request(self, request: Request) -> RuntimeT:
        return self.get(request.app)
