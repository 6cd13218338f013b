"""What the widget API is built from (`ApiDependencies`, given by the composition root) and
what it builds once per app from them (`WidgetRuntime`, kept in `WIDGET_RUNTIME`, reached
through `RuntimeDep`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Protocol

from fastapi import Depends
from redis.asyncio import Redis

from api.chat.admission import LoopAdmission
from api.chat.answer_slots import AnswerSlots
from api.metrics import ApiMetrics
from api.rate_limit import RateLimiter
from api.sessions.tokens import SessionTokens
from api.shutdown import ShutdownSignal
from api.static_assets.asset_cache import WidgetAssetCache
from core.crypto import SecretBox
from core.db.database import Database
from core.email import EmailSender, LoggingEmailSender
from core.settings import Settings
from engine.answer_events import AnswerEvent, Question
from web.runtime import AppStateSlot

DEFAULT_WIDGET_JS_PATH = Path(__file__).resolve().parent / "static" / "widget.js"


class AnswerStreamer(Protocol):
    """The answer service as the widget API uses it (`engine.answer.AnswerService`).

    `stream` is an async generator (`async def stream(...)` with `yield`). The events end
    with one `DoneEvent` or one `ErrorEvent`; a `QuestionStored` (the shopper's message
    committed) is no event of the response: its ids go on an error that ends it early. An
    `AppError` raised before the first event (an unknown conversation: `NotFound`) becomes
    that error's problem response.
    Cancelling the iteration (`aclose()` or task cancellation) must stop the LLM call.
    """

    def stream(
        self, question: Question
    ) -> AsyncIterator[AnswerEvent] | Awaitable[AsyncIterator[AnswerEvent]]: ...


@dataclass
class ApiDependencies:
    db: Database
    settings: Settings
    signing_key: str
    redis: Redis | None
    # None: the chat endpoint answers 503 `answering_unavailable` (everything else works).
    answer_service: AnswerStreamer | None
    widget_js_path: Path = field(default=DEFAULT_WIDGET_JS_PATH)
    # Hand-off (core.handoff): the key that encrypts shoppers' emails (None: hand-off
    # requests answer 503) and the sender of the merchant's notices.
    secret_box: SecretBox | None = None
    email_sender: EmailSender = field(default_factory=LoggingEmailSender)

    @property
    def dashboard_url(self) -> str:
        """Where emailed links point: the merchant web app (core.settings)."""
        settings = self.settings
        public = (settings.public_api_url or "").rstrip("/")
        return (settings.dashboard_url or f"{public}/app").rstrip("/")


@dataclass
class WidgetRuntime:
    deps: ApiDependencies
    metrics: ApiMetrics
    limiter: RateLimiter
    tokens: SessionTokens
    widget_asset: WidgetAssetCache
    # Set by the ASGI server when it begins a graceful shutdown; open streams watch it.
    shutdown: ShutdownSignal
    admission: LoopAdmission  # refuses new questions while the event loop is behind
    answer_slots: AnswerSlots  # refuses new questions while too many answers run

    @classmethod
    def build(cls, deps: ApiDependencies, metrics: ApiMetrics | None = None) -> WidgetRuntime:
        metrics = metrics or ApiMetrics()
        return cls(
            deps=deps,
            metrics=metrics,
            limiter=RateLimiter(deps.redis, on_reject=metrics.rejected),
            tokens=SessionTokens(deps.signing_key),
            widget_asset=WidgetAssetCache(deps.widget_js_path),
            shutdown=ShutdownSignal(deps.settings.shutdown_grace_s),
            admission=LoopAdmission(deps.settings.chat_busy_loop_lag_ms),
            answer_slots=AnswerSlots(deps.settings.chat_max_answers_in_flight),
        )


WIDGET_RUNTIME: AppStateSlot[WidgetRuntime] = AppStateSlot("shopbot_widget_runtime")
RuntimeDep = Annotated[WidgetRuntime, Depends(WIDGET_RUNTIME.from_request)]
