"""WordPress REST wire details: PHP-style JSON, the error object, argument validation."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

JSON_CONTENT_TYPE = "application/json; charset=UTF-8"
NO_ROUTE_MESSAGE = "No route was found matching the URL and request method."


def php_json(value: Any) -> str:
    """`wp_json_encode()` output: compact, `\\/`-escaped slashes, non-ASCII as `\\uXXXX`."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/")


class WPError(Exception):
    """A `WP_Error` as the REST server serialises it: {"code","message","data":{"status",…}}."""

    def __init__(self, code: str, message: str, status: int, **data: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.data = data

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "data": {"status": self.status, **self.data},
        }


def no_route() -> WPError:
    return WPError("rest_no_route", NO_ROUTE_MESSAGE, 404)


def json_response(
    value: Any,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    encode: Callable[[Any], str] = php_json,
) -> Response:
    base_headers = {
        "X-Robots-Tag": "noindex",
        "X-Content-Type-Options": "nosniff",
        "Access-Control-Expose-Headers": "X-WP-Total, X-WP-TotalPages, Link",
    }
    return Response(
        encode(value),
        status_code=status,
        media_type=JSON_CONTENT_TYPE,
        headers={**base_headers, **(headers or {})},
    )


def html_404_page(title: str = "Page not found") -> Response:
    """What a WordPress theme (or a plain web server) answers for an unknown URL: HTML, not JSON."""
    body = (
        '<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8" />'
        f'<title>{title}</title></head><body class="error404"><main><h1>{title}</h1>'
        "<p>It looks like nothing was found at this location.</p></main></body></html>"
    )
    return Response(body, status_code=404, media_type="text/html; charset=UTF-8")


@dataclass(frozen=True)
class InvalidParam:
    name: str
    code: str
    message: str


def invalid_params(problems: list[InvalidParam]) -> WPError:
    """WordPress ≥ 5.5's aggregated `rest_invalid_param` error."""
    names = ", ".join(p.name for p in problems)
    return WPError(
        "rest_invalid_param",
        f"Invalid parameter(s): {names}",
        400,
        params={p.name: p.message for p in problems},
        details={p.name: {"code": p.code, "message": p.message, "data": None} for p in problems},
    )


class Args:
    """Reads and validates query arguments the way `register_rest_route` schemas do."""

    def __init__(self, query: Mapping[str, str]) -> None:
        self.query = query
        self.problems: list[InvalidParam] = []

    def integer(
        self, name: str, default: int, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        raw = self.query.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            self.problems.append(
                InvalidParam(name, "rest_invalid_type", f"{name} is not of type integer.")
            )
            return default
        out_of_bounds = (minimum is not None and value < minimum) or (
            maximum is not None and value > maximum
        )
        if out_of_bounds:
            if minimum is not None and maximum is not None:
                text = f"{name} must be between {minimum} (inclusive) and {maximum} (inclusive)"
            else:
                text = f"{name} must be greater than or equal to {minimum}"
            self.problems.append(InvalidParam(name, "rest_out_of_bounds", text))
            return default
        return value

    def choice(self, name: str, default: str, allowed: tuple[str, ...]) -> str:
        raw = self.query.get(name)
        if raw is None or raw == "":
            return default
        if raw not in allowed:
            options = ", ".join(allowed)
            self.problems.append(
                InvalidParam(name, "rest_not_in_enum", f"{name} is not one of {options}.")
            )
            return default
        return raw

    def boolean(self, name: str, default: bool) -> bool:
        raw = self.query.get(name)
        if raw is None or raw == "":
            return default
        if raw.lower() in ("true", "1"):
            return True
        if raw.lower() in ("false", "0"):
            return False
        self.problems.append(
            InvalidParam(name, "rest_invalid_type", f"{name} is not of type boolean.")
        )
        return default

    def date(self, name: str) -> datetime | None:
        """ISO 8601 as `rest_parse_date` accepts it; a zoned value is turned into naive UTC."""
        raw = self.query.get(name)
        if not raw:
            return None
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            self.problems.append(InvalidParam(name, "rest_invalid_date", "Invalid date."))
            return None
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        return parsed

    def id_list(self, name: str) -> list[int]:
        raw = self.query.get(name)
        if not raw:
            return []
        try:
            return [int(part) for part in raw.replace(" ", "").split(",") if part]
        except ValueError:
            self.problems.append(
                InvalidParam(name, "rest_invalid_type", f"{name}[0] is not of type integer.")
            )
            return []

    def raise_if_invalid(self) -> None:
        if self.problems:
            raise invalid_params(self.problems)
