"""The one settings class. Nothing else reads the environment.

Conventional names (`DATABASE_URL`, `REDIS_URL`, `OPENAI_API_KEY`, `SENTRY_DSN`) are read
as they are; everything else carries the `SHOPBOT_` prefix.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # An empty variable (`DATABASE_URL=`) means unset, as in most twelve-factor tools.
    model_config = SettingsConfigDict(env_prefix="SHOPBOT_", extra="ignore", env_ignore_empty=True)

    # --- database -------------------------------------------------------------------
    # The owner's URL: migrations run with it. Unset means the embedded server.
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "SHOPBOT_DATABASE_URL")
    )
    # The application's own URL (a role without ownership, SUPERUSER or BYPASSRLS).
    # Unset: derived from the owner's URL with the application role's name and password.
    app_database_url: str | None = None
    app_db_role: str = "shopbot_app"
    # A read replica for retrieval (core.db.replica), connected to as the application role
    # (its user and password replace any in this URL). Unset: everything reads the primary.
    database_read_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_READ_URL", "SHOPBOT_DATABASE_READ_URL"),
    )
    # How long reads stay on the primary after the replica failed, before trying it again.
    db_replica_retry_s: float = Field(default=5.0, gt=0, le=3600)
    app_db_password: SecretStr | None = None
    data_dir: Path = Path(".shopbot")
    db_pool_size: int = 10
    # Server-side limits on every application connection (set at connect; 0 turns one off):
    # a request never waits longer than this on a statement, a lock or an idle transaction.
    db_statement_timeout_ms: int = Field(default=15_000, ge=0)
    db_lock_timeout_ms: int = Field(default=5_000, ge=0)
    db_idle_in_transaction_timeout_ms: int = Field(default=60_000, ge=0)
    db_connect_timeout_s: int = Field(default=5, ge=1)

    # --- services -------------------------------------------------------------------
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("REDIS_URL", "SHOPBOT_REDIS_URL")
    )
    # How long a task a worker took but never acknowledged (acks_late: it acknowledges
    # when done) stays invisible before Redis hands it to another worker: the time to
    # recover the task of a worker that died. It must exceed the longest task, else a
    # running task is handed out twice; a sync runs as slices of a few pages (seconds with
    # OpenAI embeddings, up to ~6 minutes measured with MiniLM on a busy 2-core machine, see
    # ARCHITECTURE.md), so 15 minutes leaves room and a lost slice waits at most that.
    celery_visibility_timeout_s: int = Field(default=900, ge=1, le=43_200)
    # Pages of 100 products a sync step runs before it re-enqueues the rest at the back of
    # its queue (unset: ingestion.tasks.SYNC_PAGES_PER_TASK): the slice another tenant's
    # task may have to wait for.
    sync_pages_per_task: int | None = Field(default=None, ge=1, le=1000)
    sentry_dsn: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SENTRY_DSN", "SHOPBOT_SENTRY_DSN")
    )

    # --- models ---------------------------------------------------------------------
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "SHOPBOT_OPENAI_API_KEY")
    )
    openai_base_url: str | None = None
    embedding_provider: str = "local"  # local | openai

    # --- secrets --------------------------------------------------------------------
    # Signs JWTs. The embedded default is generated once into the data dir (see core.secrets).
    secret_key: SecretStr | None = None
    # Fernet keys for credentials at rest, comma separated, newest first (rotation: prepend).
    encryption_keys: SecretStr | None = None

    # --- deployment -----------------------------------------------------------------
    # production: the process refuses to start without explicit secrets, public URLs and
    # email (core.deployment lists what is missing); docker-compose sets it.
    env: Literal["development", "production"] = "development"

    # --- email ----------------------------------------------------------------------
    # smtp: delivered through the server below. log: development only (recipient and
    # subject are logged, never the body and its one-time link). Unset: smtp when a host
    # is configured, else log; production needs a host or `log` chosen explicitly.
    email_backend: Literal["smtp", "log"] | None = None
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_sender: str = "Shopbot <no-reply@shopbot.dev>"
    smtp_timeout: float = 15.0  # seconds, per SMTP command
    # A merchant's hand-off reply the shopper's widget has not fetched after this long is
    # emailed to them (core.handoff.replies).
    handoff_reply_email_delay_s: float = Field(default=300.0, ge=0, le=86_400)

    # --- outbound requests to URLs users give (core.outbound) -------------------------
    # The default refuses plain http, ports other than 443/80 and every non-public
    # address. Comma-separated lists; allowed hosts are exempt from the address check
    # only (local development against a store on 127.0.0.1), never in production.
    outbound_allow_http: bool = False
    outbound_allowed_hosts: str = ""
    outbound_allowed_ports: str = "443,80"

    # --- serving --------------------------------------------------------------------
    # Links are built from these, never from a request's Host header. Unset in
    # development: the URL `shopbot serve` / `shopbot demo` was started on.
    public_api_url: str | None = None  # widget snippets, webhook delivery
    dashboard_url: str | None = None  # emailed links; unset: <public API URL>/app
    # The web app's static export served at /app/; unset: dashboard_web/out in the repository.
    dashboard_dir: Path | None = None
    log_level: str = "INFO"

    # --- observability (core.observability) ----------------------------------------
    # json | text; unset: JSON lines in production, text elsewhere.
    log_format: Literal["json", "text"] | None = None
    # /metrics (see api/health/metrics_access.py): on a port of its own (bound to
    # metrics_host), and/or on the public port behind `Authorization: Bearer <token>`.
    # With neither, the public /metrics is open in development and a 404 in production.
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_host: str = "127.0.0.1"
    metrics_token: SecretStr | None = None

    # --- serving (`shopbot serve`) ----------------------------------------------------
    # On SIGTERM an open chat stream gets this long to finish its answer (`done`); then it
    # ends with a retryable `error` event (`shutting_down`). The server itself waits a few
    # seconds more (cli.graceful_server) so every stream can write its last event.
    shutdown_grace_s: float = Field(default=10.0, ge=0, le=300)
    # A new question is refused at once (429 `busy`, Retry-After) while this process's event
    # loop has been further behind than this for a second, smoothed over questions
    # (api/chat/admission.py): queued behind an overloaded loop it would wait seconds for
    # its first token. 0: never (the default; docker-compose.yml sets 5).
    chat_busy_loop_lag_ms: float = Field(default=0.0, ge=0, le=10_000)
    # At most this many answers in flight per API process; a question past it is refused
    # at once with 429 `busy` (api/chat/answer_slots.py). 0: no cap (the default).
    chat_max_answers_in_flight: int = Field(default=0, ge=0, le=100_000)
    # The event loop of the API's processes and the worker's tenant tasks (core/event_loop.py):
    # asyncio's own (the default), uvloop, or auto (uvloop where it is installed). uvloop
    # saved CPU at 100 shoppers but not at 500 in bench.load (DEPLOYMENT.md): opt in.
    event_loop: Literal["auto", "uvloop", "asyncio"] = "asyncio"

    # --- billing (Stripe; optional) --------------------------------------------------
    # Without a secret key the app runs on Free (or an operator's `set-plan`): the billing
    # reads work, its writes and the Stripe webhook answer 503 `billing_not_configured`.
    stripe_secret_key: SecretStr | None = None
    # The webhook endpoint's signing secret (`whsec_...`); without it no event is trusted.
    stripe_webhook_secret: SecretStr | None = None
    # Where the Stripe API is (a local fake in development and tests); unset: Stripe's own.
    stripe_api_base: str | None = None
    # How long a subscription whose payment failed keeps its plan's limits.
    billing_grace_days: int = Field(default=7, ge=0, le=60)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
