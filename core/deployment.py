"""Production mode and the public URLs links are built from.

`SHOPBOT_ENV=production` (docker-compose sets it) makes every long-running process refuse
to start until the settings that replicas must share, and the ones links and email need,
are given explicitly: generated keys differ per process, and a link built from a
request's `Host` header points wherever the caller says.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from core.errors import ConfigurationError
from core.settings import Settings

log = logging.getLogger(__name__)


class ProductionNotReady(ConfigurationError):
    """Raised at start-up in production; `problems` holds one line per missing setting."""

    code = "production_not_ready"
    title = "Production settings missing"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def production_problems(settings: Settings) -> list[str]:
    """What a production process lacks, one sentence each; empty when it may start."""
    problems: list[str] = []
    if settings.secret_key is None:
        problems.append(
            "SHOPBOT_SECRET_KEY is not set: every process must sign tokens with the same key "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
    if settings.encryption_keys is None:
        problems.append(
            "SHOPBOT_ENCRYPTION_KEYS is not set: every process must decrypt store credentials "
            "with the same keys (generate one with: python -c 'from cryptography.fernet "
            "import Fernet; print(Fernet.generate_key().decode())')"
        )
    for variable, value, purpose in (
        (
            "SHOPBOT_PUBLIC_API_URL",
            settings.public_api_url,
            "widget snippets and store webhooks point at it",
        ),
        (
            "SHOPBOT_DASHBOARD_URL",
            settings.dashboard_url,
            "verification, reset and invitation emails link to it",
        ),
    ):
        if not value:
            problems.append(f"{variable} is not set: {purpose} (e.g. https://shopbot.example.com)")
        elif not _is_absolute_http_url(value):
            problems.append(f"{variable} must be an absolute http(s) URL, got {value!r}")
    if not settings.smtp_host and settings.email_backend != "log":
        problems.append(
            "email is not configured: set SHOPBOT_SMTP_HOST (with SHOPBOT_SMTP_USERNAME, "
            "SHOPBOT_SMTP_PASSWORD, SHOPBOT_SMTP_SENDER), or SHOPBOT_EMAIL_BACKEND=log to send "
            "no email at all"
        )
    if (
        settings.smtp_password is not None
        and settings.smtp_security == "none"
        and settings.email_backend != "log"
    ):
        problems.append(
            "SHOPBOT_SMTP_SECURITY=none with SHOPBOT_SMTP_PASSWORD would send the mail login in "
            "clear text: use starttls or tls"
        )
    if settings.outbound_allowed_hosts.strip(", "):
        problems.append(
            "SHOPBOT_OUTBOUND_ALLOWED_HOSTS must be empty in production: the hosts it names skip "
            "the outbound guard's address check (a local store in development only)"
        )
    if settings.stripe_secret_key is not None and settings.stripe_webhook_secret is None:
        problems.append(
            "SHOPBOT_STRIPE_WEBHOOK_SECRET is not set while SHOPBOT_STRIPE_SECRET_KEY is: "
            "subscriptions would never reach the plan the merchant paid for"
        )
    if settings.stripe_api_base:
        problems.append(
            "SHOPBOT_STRIPE_API_BASE must be unset in production: it points the Stripe "
            "client at a local fake"
        )
    return problems


def require_production_ready(settings: Settings) -> None:
    """Raise `ProductionNotReady` in production when anything is missing; else nothing."""
    if settings.env != "production":
        return
    problems = production_problems(settings)
    if problems:
        raise ProductionNotReady(problems)


def with_public_urls(settings: Settings, *, host: str, port: int) -> Settings:
    """Settings whose public API URL is the configured one, else (development) the URL the
    server is started on. Links are built from it, never from a request."""
    if settings.public_api_url:
        return settings
    shown = host
    if host in {"0.0.0.0", "::", ""}:
        # Bound to every interface: this machine's loopback is the one address sure to reach it.
        shown = "127.0.0.1"
        log.warning(
            "SHOPBOT_PUBLIC_API_URL is not set: snippets, emailed links and webhooks use "
            "http://%s:%d; set it to the address people and stores reach this server at",
            shown,
            port,
        )
    if ":" in shown:
        shown = f"[{shown}]"
    return settings.model_copy(update={"public_api_url": f"http://{shown}:{port}"})


def _is_absolute_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)
