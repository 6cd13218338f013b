"""Bot configuration, validated on the way in: unknown keys are refused here, and the
engine reads the JSON columns leniently (missing keys take defaults, unknown ones are
logged and ignored, see engine.bot_config).

The model and retrieval settings are the engine's (`LLMSettings`, `RetrievalSettings`):
their bounds and defaults come from there (`_engine_setting`), and
tests/dashboard_api/test_bot_settings.py fails when a name or type here differs from the
engine's, or when the engine gains a setting that is neither here nor listed as internal.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import MISSING, fields
from datetime import datetime
from typing import Any, Literal, get_type_hints
from urllib.parse import urlsplit

from annotated_types import Interval
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from core.errors import ValidationFailed
from core.privacy.consent import CONSENT_TEXT_MAX_CHARS
from core.provisioning import normalise_origin
from dashboard_api.validation import matching, not_blank, stripped_name
from engine.retrieval.settings import RetrievalSettings
from engine.types import LLMSettings
from web.source_cards import Source

_MODEL_NAME = re.compile(r"^[A-Za-z0-9._:/@+-]{1,100}$")
_API_KEY = re.compile(r"[\x21-\x7e]+")
_HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
MAX_ORIGINS = 50


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _http_url(value: str, *, https_only: bool) -> str:
    parts = urlsplit(value.strip())
    schemes = ("https",) if https_only else ("http", "https")
    if parts.scheme not in schemes or not parts.hostname or parts.username or parts.password:
        need = "an https:// address" if https_only else "an http(s):// address"
        raise ValueError(f"must be {need} without credentials")
    return value.strip()


def _engine_setting(
    settings: type[LLMSettings | RetrievalSettings], name: str, description: str = ""
) -> Any:
    """The field for the engine's setting `name`: optional (omitted or null: the engine's
    default, which the description states) and bounded as the engine declares it."""
    engine_field = next(f for f in fields(settings) if f.name == name)
    metadata = getattr(get_type_hints(settings, include_extras=True)[name], "__metadata__", ())
    bounds = next((m for m in metadata if isinstance(m, Interval)), Interval())
    default = engine_field.default
    if default is not MISSING and default is not None:
        description = f"{description} Default: {default}.".strip()
    return Field(
        default=None,
        ge=bounds.ge,
        le=bounds.le,
        gt=bounds.gt,
        lt=bounds.lt,
        description=description or None,
    )


class LLMConfig(_Strict):
    """Omitted keys take the engine's defaults; `null` in a PATCH resets a key.

    `api_key` is write-only: stored encrypted, never returned (the bot shows `has_api_key`).
    A `base_url` is accepted only with the bot's own `api_key` (sent now or stored before):
    the platform's key never goes to an endpoint a merchant names."""

    provider: Literal["platform", "offline", "openai"] | None = _engine_setting(
        LLMSettings,
        "provider",
        "platform: the platform's model when it has one, else offline.",
    )
    model: str | None = _engine_setting(LLMSettings, "model")
    temperature: float | None = _engine_setting(LLMSettings, "temperature")
    max_tokens: int | None = _engine_setting(LLMSettings, "max_tokens")
    base_url: str | None = Field(
        default=None,
        max_length=500,
        description="Your own OpenAI-compatible endpoint; needs api_key",
    )
    timeout_s: float | None = _engine_setting(LLMSettings, "timeout_s")
    api_key: SecretStr | None = Field(
        default=None,
        min_length=1,
        max_length=500,
        description="Write-only: your own key for the model endpoint; null removes it",
    )

    @field_validator("model")
    @classmethod
    def _model(cls, value: str | None) -> str | None:
        return matching(value, _MODEL_NAME, "must be a model name such as gpt-4o-mini")

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        return _http_url(value, https_only=False) if value is not None else None

    @field_validator("api_key")
    @classmethod
    def _api_key(cls, value: SecretStr | None) -> SecretStr | None:
        # It travels in an Authorization header: visible ASCII only, no spaces or line breaks.
        if value is not None and not _API_KEY.fullmatch(value.get_secret_value()):
            raise ValueError("must be an API key (visible ASCII characters, no spaces)")
        return value


class RetrievalConfig(_Strict):
    """Omitted keys take the engine's defaults; `null` in a PATCH resets a key."""

    top_k: int | None = _engine_setting(RetrievalSettings, "top_k")
    fusion: Literal["weighted", "rrf"] | None = _engine_setting(
        RetrievalSettings,
        "fusion",
        "weighted: cosine and term coverage added; rrf: reciprocal rank fusion.",
    )
    rrf_k: int | None = _engine_setting(RetrievalSettings, "rrf_k", "rrf only.")
    vector_weight: float | None = _engine_setting(RetrievalSettings, "vector_weight")
    text_weight: float | None = _engine_setting(RetrievalSettings, "text_weight")
    min_score: float | None = _engine_setting(RetrievalSettings, "min_score")
    candidates: int | None = _engine_setting(RetrievalSettings, "candidates")
    evidence_per_product: int | None = _engine_setting(RetrievalSettings, "evidence_per_product")

    @model_validator(mode="after")
    def _weights(self) -> RetrievalConfig:
        if self.vector_weight == 0 and self.text_weight == 0:
            raise ValueError("vector_weight and text_weight cannot both be 0")
        return self


class ThemeConfig(_Strict):
    primary_color: str | None = Field(default=None, description="#RRGGBB or #RGB")
    position: Literal["left", "right"] | None = None
    title: str | None = Field(default=None, max_length=60)
    avatar_url: str | None = Field(default=None, max_length=1000, description="https:// only")

    @field_validator("primary_color")
    @classmethod
    def _color(cls, value: str | None) -> str | None:
        return matching(value, _HEX_COLOR, "must be a hex colour such as #1f6feb")

    @field_validator("avatar_url")
    @classmethod
    def _avatar(cls, value: str | None) -> str | None:
        return _http_url(value, https_only=True) if value is not None else None


class RateLimitRule(_Strict):
    per_minute: float = Field(gt=0, le=1_000_000)
    burst: int | None = Field(default=None, ge=1, le=1_000_000)


class RateLimitsConfig(_Strict):
    """Per-scope overrides of the widget API's limits (see api.rate_limit)."""

    session: RateLimitRule | None = None
    ip: RateLimitRule | None = None
    bot: RateLimitRule | None = None
    session_create: RateLimitRule | None = None
    interaction: RateLimitRule | None = None


def _origins(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    normalised: list[str] = []
    for value in values:
        try:
            origin = normalise_origin(value)
        except ValidationFailed as exc:
            raise ValueError(exc.detail) from None
        if origin not in normalised:
            normalised.append(origin)
    return normalised


class _BotFields(_Strict):
    persona: str | None = Field(default=None, max_length=2000)
    tone: str | None = Field(default=None, max_length=200)
    greeting: str | None = Field(default=None, max_length=1000)
    fallback_message: str | None = Field(
        default=None,
        max_length=1000,
        description=(
            "What the widget shows when the month's messages are used up (your contact "
            "details, say); null: a generic notice"
        ),
    )
    language_policy: Literal["match_shopper", "business_language"] | None = None
    custom_instructions: str | None = Field(default=None, max_length=8000)
    is_active: bool | None = None
    store_id: uuid.UUID | None = Field(
        default=None, description="Answer from this store only; null: every store"
    )
    llm: LLMConfig | None = None
    retrieval: RetrievalConfig | None = None
    theme: ThemeConfig | None = None
    rate_limits: RateLimitsConfig | None = None
    allowed_origins: list[str] | None = Field(
        default=None,
        max_length=MAX_ORIGINS,
        description="Pages allowed to open the widget: https://shop.example.com or https://*.example.com",
    )
    mask_contact_details: bool | None = Field(
        default=None,
        description="Mask e-mail addresses and phone numbers in stored messages (card numbers "
        "are always masked). Default: true.",
    )
    consent_required: bool | None = Field(
        default=None,
        description="Ask the shopper before the conversation is stored; without their "
        "consent the bot still answers and nothing is kept. Default: false.",
    )
    consent_text: str | None = Field(
        default=None,
        max_length=CONSENT_TEXT_MAX_CHARS,
        description="The consent question the widget shows; null: a default text.",
    )

    @field_validator("allowed_origins")
    @classmethod
    def _allowed_origins(cls, values: list[str] | None) -> list[str] | None:
        return _origins(values)

    @field_validator("consent_text")
    @classmethod
    def _consent_text(cls, value: str | None) -> str | None:
        # A blank text would show an empty consent bar: it means "the default".
        return value.strip() or None if value is not None else None


class BotCreate(_BotFields):
    name: str = Field(min_length=1, max_length=200)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return not_blank(value).strip()


class BotUpdate(_BotFields):
    """Only the fields sent change. The grouped settings (llm, retrieval, theme,
    rate_limits) merge key by key; `null` for a key resets it to the default."""

    name: str | None = Field(default=None, min_length=1, max_length=200)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        return stripped_name(value)


class BotOut(BaseModel):
    id: uuid.UUID
    name: str
    widget_key: str = Field(description="Public: it goes into the store's page with the snippet.")
    is_active: bool
    store_id: uuid.UUID | None = None
    persona: str | None = None
    tone: str | None = None
    greeting: str | None = None
    fallback_message: str | None = None
    language_policy: str
    custom_instructions: str | None = None
    llm: dict[str, Any]
    retrieval: dict[str, Any]
    theme: dict[str, Any]
    rate_limits: dict[str, Any]
    allowed_origins: list[str]
    mask_contact_details: bool
    consent_required: bool
    consent_text: str | None = Field(
        default=None, description="null: the widget shows the default consent text"
    )
    suspended_by_plan: bool = Field(
        description="Disabled by a downgrade: an upgrade enables it again; enabling it "
        "yourself needs a free slot on your plan."
    )
    created_at: datetime
    updated_at: datetime


class SnippetOut(BaseModel):
    snippet: str
    script_url: str
    widget_key: str


class TryPage(_Strict):
    url: str | None = Field(default=None, max_length=1000)
    product_id: str | None = Field(
        default=None, max_length=64, description="The store's own product id"
    )


class TryRequest(_Strict):
    message: str = Field(min_length=1, max_length=2000)
    conversation_id: uuid.UUID | None = None
    page: TryPage | None = None

    @field_validator("message")
    @classmethod
    def _message(cls, value: str) -> str:
        return not_blank(value)


class TryResponse(BaseModel):
    conversation_id: uuid.UUID
    message_id: uuid.UUID
    answer: str
    sources: list[Source]
