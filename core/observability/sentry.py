"""Error reporting: Sentry for the API (FastAPI/Starlette) and Celery, when `SENTRY_DSN` is set.

Nothing private leaves the process: `send_default_pii` is off, local variables are not
captured, the argv integration is off (operator commands take secrets as options), and
every event and breadcrumb passes through `scrub_event` / `scrub_breadcrumb` (see
`scrub.py`) before it is queued. A 503 the app answers on purpose is not reported.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any, cast

import sentry_sdk
from sentry_sdk.integrations.argv import ArgvIntegration
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.fastapi import FastApiIntegration
from sentry_sdk.integrations.logging import LoggingIntegration
from sentry_sdk.integrations.starlette import StarletteIntegration
from sentry_sdk.types import Event, Hint

from core.errors import ServiceUnavailable
from core.observability.scrub import (
    FILTERED,
    blank_strings,
    is_credential_name,
    scrub_query_string,
    scrub_text,
    scrub_value,
)
from core.settings import Settings

# Headers that carry a client's address: personal data, dropped like credentials.
_ADDRESS_HEADERS = frozenset(
    {"forwarded", "x-forwarded-for", "x-real-ip", "cf-connecting-ip", "true-client-ip"}
)


def init_sentry(settings: Settings, *, component: str) -> bool:
    """Start reporting errors if a DSN is configured; True when it did."""
    if settings.sentry_dsn is None:
        return False
    with warnings.catch_warnings():
        # sentry-sdk 2.75 deprecates the option in favour of `data_collection`, which
        # collects more unless every category is listed; the old switch, stated, is plainer.
        warnings.filterwarnings(
            "ignore", "The send_default_pii option is deprecated", DeprecationWarning
        )
        _init(settings.sentry_dsn.get_secret_value(), settings.env)
    sentry_sdk.get_global_scope().set_tag("component", component)
    return True


def _init(dsn: str, environment: str) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        include_local_variables=False,
        before_send=_report_or_drop,
        before_breadcrumb=scrub_breadcrumb,
        integrations=[
            StarletteIntegration(),
            FastApiIntegration(),
            CeleryIntegration(monitor_beat_tasks=False),
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
        ],
        disabled_integrations=[ArgvIntegration()],
    )


def _report_or_drop(event: Event, hint: Hint) -> Event | None:
    """Drop a 503 the app answered on purpose (`ServiceUnavailable`: /readyz while a
    dependency is down, answering not configured): the integrations report every 5xx an
    exception handler returns, which would make each readiness probe of an outage an error
    event. The outage itself is in the logs. Scrub everything else."""
    exc_info = hint.get("exc_info")
    if exc_info and isinstance(exc_info[1], ServiceUnavailable):
        return None
    # Event is a TypedDict of sentry's; the scrubber walks it as the plain dict it is.
    return cast("Event", scrub_event(cast("dict[str, Any]", event), hint))


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    request = event.get("request")
    if isinstance(request, dict):
        _scrub_request(request)
    for exception in _values(event.get("exception")):
        if isinstance(exception.get("value"), str):
            exception["value"] = scrub_text(exception["value"])
        _scrub_frames(exception.get("stacktrace"))
    for thread in _values(event.get("threads")):
        _scrub_frames(thread.get("stacktrace"))
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        for key in ("message", "formatted"):
            if isinstance(logentry.get(key), str):
                logentry[key] = scrub_text(logentry[key])
        if "params" in logentry:
            logentry["params"] = scrub_value(logentry["params"])
    for key in ("message", "transaction"):
        if isinstance(event.get(key), str):
            event[key] = scrub_text(event[key])
    if "extra" in event:
        event["extra"] = scrub_value(event["extra"])
    for key in ("contexts", "tags", "spans"):
        if key in event:
            event[key] = scrub_value(event[key], personal_keys=False)
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, dict):
        breadcrumbs["values"] = [scrub_breadcrumb(crumb) for crumb in _values(breadcrumbs)]
    elif isinstance(breadcrumbs, list):
        event["breadcrumbs"] = [
            scrub_breadcrumb(crumb) for crumb in breadcrumbs if isinstance(crumb, dict)
        ]
    return event


def scrub_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    if isinstance(crumb.get("message"), str):
        crumb["message"] = scrub_text(crumb["message"])
    data = crumb.get("data")
    if isinstance(data, dict):
        query = data.get("http.query")
        crumb["data"] = scrub_value(data)
        if isinstance(query, str):
            crumb["data"]["http.query"] = scrub_query_string(query)
    return crumb


def _scrub_request(request: dict[str, Any]) -> None:
    headers = request.get("headers")
    if isinstance(headers, dict):
        request["headers"] = {
            name: FILTERED
            if is_credential_name(name) or str(name).lower() in _ADDRESS_HEADERS
            else scrub_text(value)
            if isinstance(value, str)
            else value
            for name, value in headers.items()
        }
    if "cookies" in request:
        request["cookies"] = FILTERED
    if "data" in request:
        request["data"] = blank_strings(request["data"])
    if isinstance(request.get("query_string"), str):
        request["query_string"] = scrub_query_string(request["query_string"])
    if isinstance(request.get("url"), str):
        request["url"] = scrub_text(request["url"])
    if "env" in request:
        request["env"] = {}  # REMOTE_ADDR and the like: a client's address


def _scrub_frames(stacktrace: Any) -> None:
    if not isinstance(stacktrace, dict):
        return
    for frame in stacktrace.get("frames") or ():
        if isinstance(frame, dict) and "vars" in frame:
            frame["vars"] = scrub_value(frame["vars"])


def _values(container: Any) -> list[dict[str, Any]]:
    if isinstance(container, dict):
        container = container.get("values")
    return [item for item in container or () if isinstance(item, dict)]
