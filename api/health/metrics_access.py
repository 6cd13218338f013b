"""Who may read `/metrics` on the public port.

The counters name every route and its traffic, so they are not for anyone who asks:

- `SHOPBOT_METRICS_TOKEN` set: the public port answers `Authorization: Bearer <token>`,
  else 401 (and the own port is open too, if one is set);
- `SHOPBOT_METRICS_PORT` only: the public port answers 404; the own port is open, bound to
  `SHOPBOT_METRICS_HOST` (127.0.0.1);
- neither, `SHOPBOT_ENV=development`: the public port is open (the demo and a local
  Prometheus); no own port;
- neither, `SHOPBOT_ENV=production`: the public port answers 404; no own port.

The own port has no token: it is reachable only where it is bound, which is the access
control (loopback by default; a container's network when the operator binds wider).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from fastapi import HTTPException

from core.errors import Unauthorized
from core.settings import Settings


class MetricsTokenRequired(Unauthorized):
    code = "metrics_token_required"
    title = "Metrics token required"


@dataclass(frozen=True)
class MetricsAccess:
    on_public_port: bool
    token: str | None

    @classmethod
    def from_settings(cls, settings: Settings) -> MetricsAccess:
        token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
        open_by_default = settings.metrics_port is None and settings.env != "production"
        return cls(on_public_port=token is not None or open_by_default, token=token)

    def check(self, authorization: str | None) -> None:
        """Raise unless this caller may read the metrics here."""
        if not self.on_public_port:
            raise HTTPException(status_code=404)  # the same answer as a route that does not exist
        if self.token is None:
            return
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), self.token.encode()
        ):
            raise MetricsTokenRequired("Send `Authorization: Bearer <SHOPBOT_METRICS_TOKEN>`.")
