"""What the dashboard API is built from (`DashboardDependencies`, given by the composition
root) and what it builds once per app from them (`DashboardRuntime`, reached through
`RuntimeDep`)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from typing import Annotated, Protocol

from argon2 import PasswordHasher
from fastapi import Depends
from redis.asyncio import Redis

from core.background.queue import Send
from core.crypto import SecretBox
from core.db.database import Database
from core.email import EmailSender
from core.errors import ConfigurationError
from core.ids import TenantId
from core.outbound import OutboundPolicy, policy_from_settings
from core.settings import Settings
from dashboard_api.auth.passwords import Passwords
from dashboard_api.auth.tokens import AccessTokens
from dashboard_api.billing.errors import BillingNotConfigured
from dashboard_api.billing.gateway import StripeConfig, StripeGateway
from dashboard_api.throttle import AttemptThrottle, AuthThrottlePolicy, PreviewThrottlePolicy
from engine.answer_events import AnswerResult, Question
from engine.embeddings import embedder_from_settings
from engine.embeddings.base import Embedder
from ingestion.stores import ClientFactory
from ingestion.sync.service import run_sync_steps
from ingestion.tasks import runs_in_process, sync_step_sender
from web.runtime import AppStateSlot

log = logging.getLogger(__name__)


class SyncLauncher(Protocol):
    async def __call__(self, tenant_id: TenantId, job_id: uuid.UUID, owner: str) -> None: ...


class AnswerProvider(Protocol):
    """`engine.answer.AnswerService` as the bot preview uses it."""

    async def answer(self, question: Question) -> AnswerResult: ...


@dataclass
class DashboardDependencies:
    db: Database
    settings: Settings
    signing_key: str
    secret_box: SecretBox
    redis: Redis | None
    # None: `POST /v1/bots/{bot_id}/try` answers 503 (everything else works).
    answer_service: AnswerProvider | None
    email_sender: EmailSender
    # Knowledge indexing and store syncs embed with it; None: the process's configured one
    # (engine.embeddings.build_embedder from settings) is built on first use.
    embedder: Embedder | None = None
    # None: argon2-cffi's defaults (RFC 9106). Tests pass cheaper parameters.
    password_hasher: PasswordHasher | None = None
    throttle_policy: AuthThrottlePolicy = field(default_factory=AuthThrottlePolicy)
    preview_throttle: PreviewThrottlePolicy = field(default_factory=PreviewThrottlePolicy)
    # Runs a claimed sync job after `POST /v1/stores/{id}/sync` committed it (sent through
    # the after-commit queue). None: in process (a background task) without REDIS_URL,
    # else the Celery step task.
    sync_launcher: SyncLauncher | None = None
    # How store connections are made (tests: TLS contexts, transports); None: WooClient.
    store_client_factory: ClientFactory | None = None
    # Which user-given URLs the server connects to (core.outbound); None: the process's
    # settings (policy_from_settings). Tests pass one allowing their 127.0.0.1 fakes.
    outbound_policy: OutboundPolicy | None = None
    # How Stripe is reached (tests: a gateway on the fake). None: built from the settings'
    # SHOPBOT_STRIPE_* on first use; without a key, billing's writes answer 503.
    stripe: StripeGateway | None = None


@dataclass
class DashboardRuntime:
    deps: DashboardDependencies
    tokens: AccessTokens
    passwords: Passwords
    throttle: AttemptThrottle
    _embedder: Embedder | None = None
    _stripe: StripeGateway | None = None
    _background: set[asyncio.Task[None]] = field(default_factory=set)

    @classmethod
    def build(cls, deps: DashboardDependencies) -> DashboardRuntime:
        if not deps.settings.public_api_url:
            # Links are never built from a request's Host header, so there must be a URL.
            raise ConfigurationError(
                "the dashboard API needs a public URL: set SHOPBOT_PUBLIC_API_URL "
                "(`shopbot serve` and `shopbot demo` default it to the address they listen on)"
            )
        return cls(
            deps=deps,
            tokens=AccessTokens(deps.signing_key),
            passwords=Passwords(deps.password_hasher),
            throttle=AttemptThrottle(deps.redis),
            _embedder=deps.embedder,
            _stripe=deps.stripe,
        )

    @property
    def db(self) -> Database:
        return self.deps.db

    @property
    def public_api_url(self) -> str:
        """What widget snippets and store webhooks point at (configured, never the Host)."""
        return str(self.deps.settings.public_api_url).rstrip("/")

    @property
    def link_base(self) -> str:
        """Where emailed links (verification, reset, invitation) and Stripe's return URLs
        point: the merchant web app, served at `/app` by this same server
        (`/app/verify-email?token=...`, `/app/billing`); SHOPBOT_DASHBOARD_URL overrides."""
        return (self.deps.settings.dashboard_url or f"{self.public_api_url}/app").rstrip("/")

    def outbound_policy(self) -> OutboundPolicy:
        return self.deps.outbound_policy or policy_from_settings(self.deps.settings)

    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = embedder_from_settings(self.deps.settings)
        return self._embedder

    @property
    def stripe_configured(self) -> bool:
        return self._stripe is not None or self.deps.settings.stripe_secret_key is not None

    def stripe(self) -> StripeGateway:
        """The Stripe gateway; `BillingNotConfigured` (503) when there is no Stripe key."""
        if self._stripe is None:
            config = StripeConfig.from_settings(self.deps.settings)
            if config is None:
                raise BillingNotConfigured(
                    "Payments are not set up on this server; the plan is managed by an operator."
                )
            self._stripe = StripeGateway(config)
        return self._stripe

    def sync_sender(self, tenant_id: TenantId, job_id: uuid.UUID, owner: str, mode: str) -> Send:
        """How a committed, claimed job is handed to whoever runs syncs, as a job for the
        after-commit queue (core.background.queue): the configured launcher; in process
        without REDIS_URL; else the Celery step task, on the mode's queue."""
        launcher = self.deps.sync_launcher
        if launcher is not None:

            async def launch() -> None:
                await launcher(tenant_id, job_id, owner)

            return launch
        if runs_in_process():

            async def start_here() -> None:
                task = asyncio.create_task(self._run_sync_here(tenant_id, job_id, owner))
                self._background.add(task)  # a reference, so the task is not collected mid-run
                task.add_done_callback(self._background.discard)

            return start_here
        return sync_step_sender(tenant_id, job_id, owner, mode=mode)

    async def _run_sync_here(self, tenant_id: TenantId, job_id: uuid.UUID, owner: str) -> None:
        try:
            await run_sync_steps(
                self.db,
                tenant_id,
                job_id,
                owner,
                secret_box=self.deps.secret_box,
                embedder=self.embedder(),
                outbound=self.outbound_policy(),
            )
        except Exception:
            log.exception("in-process sync %s ended with an error", job_id)


# Tests read `app.state.shopbot_dashboard_runtime` directly: the key is part of the harness.
DASHBOARD_RUNTIME: AppStateSlot[DashboardRuntime] = AppStateSlot("shopbot_dashboard_runtime")
RuntimeDep = Annotated[DashboardRuntime, Depends(DASHBOARD_RUNTIME.from_request)]
