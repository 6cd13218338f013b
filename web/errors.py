"""One error shape for every response: `application/problem+json` (RFC 9457).

- `AppError` (core's, and each app's own: `api.errors`, `dashboard_api.errors`) → its
  `problem()`, plus the headers its kind implies (`Retry-After` on 429, `WWW-Authenticate`
  on 401);
- `RequestValidationError` → 422 `validation_failed` with one entry per field;
- Starlette's `HTTPException` (404 on an unknown route, 405, ...) → the same shape;
- the database being unreachable or giving up (core.db.faults) → 503 `database_unavailable`
  with `Retry-After`, logged as one line (an outage must not print a traceback per request);
- anything else → logged with its traceback, answered with a generic 500 that carries no
  internal text. Those last nets are a middleware (not an `Exception` handler) so the error
  is logged once and answered inside the CORS layer, where the widget can still read it.
"""

from __future__ import annotations

import logging
import math
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.db.faults import find_database_unavailable
from core.errors import (
    AppError,
    DatabaseUnavailable,
    ServiceUnavailable,
    Unauthorized,
)
from core.observability.throttled import ThrottledWarning
from web.http_middleware import HttpMiddleware

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://shopbot.dev/problems/"


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


# --- failures both apps raise ----------------------------------------------------


class AnsweringUnavailable(ServiceUnavailable):
    """No answer service is configured: the widget's chat and the dashboard's bot preview."""

    code = "answering_unavailable"
    title = "Answering is not available"


# --- building problems --------------------------------------------------------------


def problem_body(
    *, status: int, code: str, title: str, detail: str, instance: str | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
        "title": title,
        "status": status,
        "code": code,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def app_error_response(error: AppError, instance: str | None = None) -> ProblemResponse:
    headers: dict[str, str] = {}
    if error.retry_after is not None:
        headers["Retry-After"] = str(max(1, math.ceil(error.retry_after)))
    if isinstance(error, Unauthorized):
        # One handler serves both APIs; the realm tells a client which credential failed.
        realm = "widget" if (instance or "").startswith("/widget/") else "dashboard"
        headers["WWW-Authenticate"] = f'Bearer realm="{realm}"'
    return ProblemResponse(error.problem(instance), status_code=error.status_code, headers=headers)


def internal_error_response(instance: str | None = None) -> ProblemResponse:
    body = problem_body(
        status=500,
        code="internal_error",
        title="Internal error",
        detail="Something went wrong on our side. Please try again.",
        instance=instance,
    )
    return ProblemResponse(body, status_code=500)


def _status_code_name(status: int) -> tuple[str, str]:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return phrase.lower().replace(" ", "_").replace("-", "_"), phrase


# --- handlers -----------------------------------------------------------------------


async def _handle_app_error(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, AppError)
    if exc.status_code >= 500:
        logger.warning("%s on %s %s: %s", exc.code, request.method, request.url.path, exc.detail)
    return app_error_response(exc, request.url.path)


def _field_error(error: dict[str, Any]) -> dict[str, Any]:
    location = [str(part) for part in error.get("loc", ())]
    where = location[0] if location else "body"
    field = ".".join(location[1:])
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    # `input` is left out on purpose: it would echo (possibly large or private) input back.
    return {"location": where, "field": field, "message": message, "type": error.get("type")}


def validation_problem_response(
    errors: list[dict[str, Any]], instance: str | None
) -> ProblemResponse:
    """422 `validation_failed`; `errors` are `{"location", "field", "message", "type"}`."""
    first = errors[0] if errors else {"field": "", "message": "invalid request"}
    detail = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    body = problem_body(
        status=422,
        code="validation_failed",
        title="Validation failed",
        detail=detail,
        instance=instance,
        errors=errors,
    )
    return ProblemResponse(body, status_code=422)


async def _handle_validation_error(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, RequestValidationError)
    return validation_problem_response([_field_error(e) for e in exc.errors()], request.url.path)


async def _handle_http_exception(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, title = _status_code_name(exc.status_code)
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail else title
    body = problem_body(
        status=exc.status_code, code=code, title=title, detail=detail, instance=request.url.path
    )
    return ProblemResponse(body, status_code=exc.status_code, headers=dict(exc.headers or {}))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _handle_app_error)
    app.add_exception_handler(RequestValidationError, _handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, _handle_http_exception)


class UnhandledErrorMiddleware(HttpMiddleware):
    """The catch-all (if nothing was sent yet): a database outage → a 503
    `database_unavailable` with `Retry-After`; anything else → its traceback in the log and a
    generic 500 problem."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        # One line per 30 s of an outage, however many requests it fails (with their count).
        self.outage_log = ThrottledWarning(logger)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            outage = find_database_unavailable(error)
            if outage is not None:
                self.outage_log.warning(
                    "database unavailable on %s %s: %s",
                    scope.get("method"),
                    scope.get("path"),
                    outage,
                )
                if started:
                    raise
                response = app_error_response(
                    DatabaseUnavailable(
                        "The database is not available right now. Please try again shortly."
                    ),
                    scope.get("path"),
                )
                await response(scope, receive, send)
                return
            logger.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            await internal_error_response(scope.get("path"))(scope, receive, send)
