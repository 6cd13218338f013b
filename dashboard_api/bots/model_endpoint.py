"""A bot's model settings as written: its own endpoint only with its own key.

The merchant's key arrives as `llm.api_key` (write-only) on `POST /v1/bots` and
`PATCH /v1/bots/{id}`; it is split from the `llm` settings here, encrypted with the
process's SecretBox into `bots.llm_api_key_ciphertext` and never returned or logged
(`llm.has_api_key` says whether there is one). A `base_url` is refused without a key, and
passes the outbound guard before it is stored; the answer service checks it again on every
request (engine.llm.endpoints).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.crypto import SecretBox
from core.errors import ValidationFailed
from core.outbound import OutboundPolicy, check_url


class ModelEndpointNeedsKey(ValidationFailed):
    code = "llm_base_url_requires_api_key"
    title = "A model endpoint of your own needs your own API key"


NEEDS_KEY_DETAIL = (
    "llm.base_url is used only with your own API key for it: send llm.api_key with it, "
    "or remove llm.base_url to use the platform's model."
)

KEEP = object()  # the stored key stays as it is


@dataclass(frozen=True)
class ModelKeyChange:
    """What a write does to the bot's own key: KEEP, None (remove) or the new key."""

    value: Any = KEEP

    @property
    def keeps(self) -> bool:
        return self.value is KEEP

    def ciphertext(self, secret_box: SecretBox, current: bytes | None) -> bytes | None:
        if self.keeps:
            return current
        return None if self.value is None else secret_box.encrypt(self.value)


def split_key(llm: dict[str, Any] | None) -> tuple[dict[str, Any] | None, ModelKeyChange]:
    """The `llm` group as sent (model_dump) → the settings to store and the key change.
    A group reset to null (`"llm": null`) removes the key with the settings."""
    if llm is None:
        return None, ModelKeyChange(None)
    settings = dict(llm)
    if "api_key" not in settings:
        return settings, ModelKeyChange()
    secret = settings.pop("api_key")
    return settings, ModelKeyChange(secret.get_secret_value() if secret is not None else None)


async def check_model_endpoint(
    settings: dict[str, Any], *, has_key: bool, policy: OutboundPolicy
) -> None:
    base_url = settings.get("base_url")
    if base_url is None:
        return
    if not has_key:
        raise ModelEndpointNeedsKey(NEEDS_KEY_DETAIL)
    await check_url(base_url, policy)
