"""The model provider for each bot: chosen (`build_llm`) and kept between questions.

One provider (and so one HTTP connection pool) per distinct pair of a bot's model settings
and its own key; the key is part of the identity, so a merchant who replaces their key is
answered with the new one from the next question on. The cache is bounded: a process
serving many bots with their own endpoints does not keep a pool for each forever.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections import OrderedDict
from dataclasses import dataclass

import httpx
import openai

from core.crypto import SecretBox
from core.errors import ConfigurationError
from core.outbound import OutboundPolicy, guarded_async_client
from engine.llm.base import LLMProvider
from engine.llm.endpoints import PlatformModel, bounded_answer, own_key_only, resolve_endpoint
from engine.llm.openai_chat import OpenAIChatProvider
from engine.offline import OfflineGroundedAnswerer
from engine.types import LLMSettings

log = logging.getLogger(__name__)

MAX_PROVIDERS = 256


def build_llm(
    settings: LLMSettings,
    *,
    platform: PlatformModel,
    own_key: str | None = None,
    outbound: OutboundPolicy | None = None,
) -> LLMProvider:
    """The provider for one bot (engine.llm.endpoints decides where its questions go).
    Offline when the bot asks for it or no key is there to use, so a fresh install answers
    (from facts) without any account.

    A merchant-given endpoint is reached only through the outbound guard with `outbound`
    (None: the strict default policy; tests pass one that allows their 127.0.0.1 fakes).
    Each call makes a new HTTP client: callers that answer many questions should keep the
    provider (`BotModels` does).
    """
    endpoint = resolve_endpoint(settings, platform=platform, own_key=own_key)
    if not endpoint.api_key:
        return OfflineGroundedAnswerer()
    # A bot's own key travels alone: nothing the openai client read from the platform's
    # environment goes with it (engine.llm.endpoints.own_key_only).
    hooks = {"request": [own_key_only(endpoint.api_key)]} if endpoint.bots_own_key else {}
    http_client: httpx.AsyncClient | openai.DefaultAsyncHttpxClient | None = None
    if endpoint.merchant_given:
        http_client = guarded_async_client(
            outbound or OutboundPolicy(),
            follow_redirects=False,
            headers={"Accept-Encoding": "identity"},
            event_hooks={**hooks, "response": [bounded_answer]},
        )
    elif hooks:
        http_client = openai.DefaultAsyncHttpxClient(event_hooks=hooks)
    return OpenAIChatProvider(
        api_key=endpoint.api_key, base_url=endpoint.base_url, http_client=http_client
    )


@dataclass(frozen=True, slots=True)
class ChosenModel:
    provider: LLMProvider
    on_platform_key: bool  # True: the platform's key pays (its budget, its spend)


class BotModels:
    def __init__(
        self,
        platform: PlatformModel,
        *,
        secret_box: SecretBox | None = None,
        outbound: OutboundPolicy | None = None,
        max_providers: int = MAX_PROVIDERS,
    ) -> None:
        self._platform = platform
        self._secret_box = secret_box
        self._outbound = outbound
        self._max = max_providers
        self._providers: OrderedDict[tuple[LLMSettings, str | None], LLMProvider] = OrderedDict()

    def provider(
        self, bot_id: uuid.UUID, settings: LLMSettings, key_ciphertext: bytes | None
    ) -> LLMProvider:
        return self.choose(bot_id, settings, key_ciphertext).provider

    def choose(
        self, bot_id: uuid.UUID, settings: LLMSettings, key_ciphertext: bytes | None
    ) -> ChosenModel:
        """The bot's provider, and whether the platform's key pays for it (what the plan's
        model-token budget and spend records need to know)."""
        own_key = self._open(bot_id, key_ciphertext)
        # A digest, not the key, names the cache entry.
        identity = (settings, hashlib.sha256(own_key.encode()).hexdigest() if own_key else None)
        found = self._providers.get(identity)
        if found is not None:
            self._providers.move_to_end(identity)
        else:
            found = build_llm(
                settings, platform=self._platform, own_key=own_key, outbound=self._outbound
            )
            self._providers[identity] = found
            if len(self._providers) > self._max:
                # Dropped, not closed: a stream may still be reading from it.
                self._providers.popitem(last=False)
        # resolve_endpoint's rule: a model is called with the bot's own key when it has one,
        # else with the platform's; the offline answerer calls nothing.
        return ChosenModel(found, on_platform_key=found.generative and own_key is None)

    def _open(self, bot_id: uuid.UUID, ciphertext: bytes | None) -> str | None:
        if ciphertext is None:
            return None
        if self._secret_box is None:
            log.warning(
                "bot %s has a model key of its own, but this process has no keys to open it", bot_id
            )
            return None
        try:
            return self._secret_box.decrypt(ciphertext)
        except ConfigurationError:
            log.warning(
                "bot %s: its model key cannot be decrypted with the configured keys", bot_id
            )
            return None
