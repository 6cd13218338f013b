"""What every dashboard operation documents besides its success response: the problem
shape (RFC 9457) for each error status it can answer with, so a client (and Schemathesis)
can rely on the document."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from web.errors import PROBLEM_MEDIA_TYPE


class Problem(BaseModel):
    """`type`, `title`, `status`, `code`, `detail`; some problems add fields (`errors`, ...)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    code: str
    detail: str
    instance: str | None = None


def _problem(description: str, *, register_model: bool = False) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if register_model:
        # One entry carries the model so FastAPI puts `Problem` into the components (it
        # then also lists it under application/json for that status).
        response["model"] = Problem
    return response


# The operations a plan's quota can refuse (core.billing): a bot, store, seat or document too
# many, a model or a store the plan does not include, the month's messages used up.
QUOTA_RESPONSES: dict[int | str, dict[str, Any]] = {
    402: _problem(
        "The plan does not allow this: `code` is `quota_exceeded`, with `quota`, `limit`, "
        "`usage`, `plan` and `upgrade_plan` (the cheapest plan that would allow it)"
    ),
}

# Every dashboard route may answer these (auth, validation, throttling, request errors).
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem("Malformed request (for example an invalid cursor)"),
    401: _problem("Missing, invalid or expired credentials"),
    403: _problem("The role or API key scope does not allow this"),
    404: _problem("Not found (another business's id looks the same)"),
    405: _problem("Method not allowed"),
    409: _problem("Conflict with the current state"),
    410: _problem("Expired or already used"),
    413: _problem("Request body too large"),
    422: _problem("Validation failed", register_model=True),
    429: _problem("Too many requests (see Retry-After)"),
    502: _problem("A dependency (store, model) failed"),
    503: _problem("Temporarily unavailable"),
}
