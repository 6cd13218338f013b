"""The widget API's own expected failures: `AppError`s with stable machine codes.

They become `application/problem+json` through the handlers both HTTP apps share
(`web.errors`); nothing here knows about HTTP beyond the status code.
"""

from __future__ import annotations

from core.errors import (
    DATABASE_RETRY_AFTER_S,
    AppError,
    Forbidden,
    ServiceUnavailable,
    Unauthorized,
)


class InvalidSession(Unauthorized):
    code = "invalid_session"
    title = "Invalid or expired widget session"


class OriginNotAllowed(Forbidden):
    code = "origin_not_allowed"
    title = "Origin not allowed"


class OriginMismatch(Forbidden):
    code = "origin_mismatch"
    title = "Origin does not match the session"


class CorsPreflightRejected(Forbidden):
    code = "cors_preflight_rejected"
    title = "Cross-origin request not allowed"


class NotReady(ServiceUnavailable):
    code = "not_ready"
    title = "Not ready"
    # A probe or load balancer backs off as a client does while the database is down.
    retry_after = DATABASE_RETRY_AFTER_S


class WidgetUnavailable(ServiceUnavailable):
    code = "widget_unavailable"
    title = "Widget script not available"


class AnswerFailed(AppError):
    """The answer stream reported an error before producing an answer (JSON mode)."""

    title = "The answer could not be produced"

    def __init__(self, code: str, detail: str, status_code: int) -> None:
        super().__init__(detail)
        # Per instance on purpose: the code comes from the answer service's ErrorEvent.
        self.code = code  # type: ignore[misc]
        self.status_code = status_code  # type: ignore[misc]
