"""The application's error hierarchy.

Every expected failure is an `AppError` with an HTTP status and a stable machine code.
Engine and ingestion raise these (never HTTP exceptions); the API packages turn them into
one `application/problem+json` shape (RFC 9457). `detail` is written for the caller: it
must never carry a stack trace, SQL or a secret.
"""

from __future__ import annotations

from typing import Any, ClassVar


class AppError(Exception):
    status_code: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"
    title: ClassVar[str] = "Internal error"
    # Seconds after which the same request may succeed (sent as `Retry-After`); None: no hint.
    retry_after: float | None = None

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        self.detail = detail or self.title
        self.extra = extra
        super().__init__(self.detail)

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"https://shopbot.dev/problems/{self.code}",
            "title": self.title,
            "status": self.status_code,
            "code": self.code,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


class BadRequest(AppError):
    status_code = 400
    code = "bad_request"
    title = "Bad request"


class ValidationFailed(AppError):
    status_code = 422
    code = "validation_failed"
    title = "Validation failed"


class Unauthorized(AppError):
    status_code = 401
    code = "unauthorized"
    title = "Unauthorized"


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"
    title = "Forbidden"


class NotFound(AppError):
    status_code = 404
    code = "not_found"
    title = "Not found"


class Conflict(AppError):
    status_code = 409
    code = "conflict"
    title = "Conflict"


class PayloadTooLarge(AppError):
    status_code = 413
    code = "payload_too_large"
    title = "Payload too large"


class QuotaExceeded(AppError):
    """The tenant's plan does not allow this (one bot too many, the month's messages used up).

    Merchants get the quota's name, its limit, their usage, their plan and the plan that
    would allow it as extra members; shoppers get only the quota's name and the bot's
    fallback text (a merchant's usage is not a shopper's business)."""

    status_code = 402
    code = "quota_exceeded"
    title = "Plan quota exceeded"


class RateLimited(AppError):
    status_code = 429
    code = "rate_limited"
    title = "Too many requests"

    def __init__(self, detail: str | None = None, *, retry_after: float = 1.0, **extra: Any):
        super().__init__(detail, **extra)
        self.retry_after = retry_after


class UpstreamError(AppError):
    """A dependency (store API, LLM, embedding service) failed; the request degrades."""

    status_code = 502
    code = "upstream_error"
    title = "Upstream service failed"


class ServiceUnavailable(AppError):
    status_code = 503
    code = "service_unavailable"
    title = "Service unavailable"


# When to try again after the database was unavailable (a 503's `Retry-After`, /readyz's too).
DATABASE_RETRY_AFTER_S = 5.0


class DatabaseUnavailable(ServiceUnavailable):
    """The database could not be reached, or it gave up on a statement (a timeout, a lock
    wait, an operator's shutdown): the request did nothing and may be retried."""

    code = "database_unavailable"
    title = "Database unavailable"

    def __init__(
        self,
        detail: str | None = None,
        *,
        retry_after: float = DATABASE_RETRY_AFTER_S,
        **extra: Any,
    ):
        super().__init__(detail, **extra)
        self.retry_after = retry_after


class ConfigurationError(AppError):
    """The process is misconfigured (operator error), raised at start-up or in the CLI."""

    status_code = 500
    code = "configuration_error"
    title = "Configuration error"


class MissingTenant(AppError):
    """Tenant-scoped work was attempted without a tenant: never defaulted, always an error."""

    status_code = 500
    code = "missing_tenant"
    title = "No tenant given for tenant-scoped work"
