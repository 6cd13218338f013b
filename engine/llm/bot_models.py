"""The model provider for each bot, kept between questions.

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

from core.crypto import SecretBox
from core.errors import ConfigurationError
from core.outbound import OutboundPolicy
from engine.llm import build_llm
from engine.llm.base import LLMProvider
from engine.llm.endpoints import PlatformModel
from engine.types import LLMSettings

log = logging.getLogger(__name__)

MAX_PROVIDERS = 256


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
        own_key = self._open(bot_id, key_ciphertext)
        # A digest, not the key, names the cache entry.
        identity = (settings, hashlib.sha256(own_key.encode()).hexdigest() if own_key else None)
        found = self._providers.get(identity)
        if found is not None:
            self._providers.move_to_end(identity)
            return found
        built = build_llm(
            settings, platform=self._platform, own_key=own_key, outbound=self._outbound
        )
        self._providers[identity] = built
        if len(self._providers) > self._max:
            # Dropped, not closed: a stream may still be reading from it.
            self._providers.popitem(last=False)
        return built

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
