"""The merchant API's model and retrieval settings agree with the engine's.

The engine's `LLMSettings` and `RetrievalSettings` are the source: every engine setting
is either in the API (same name, same type, same bounds, its default accepted) or listed
below as internal with the reason. A setting added to the engine fails here until it is
given to merchants or listed.
"""

from __future__ import annotations

import dataclasses
import logging
import typing
import uuid
from typing import Any

import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from core.ids import BotId
from dashboard_api.bots.schemas import LLMConfig, RetrievalConfig
from engine.bot_config import settings_from_json
from engine.retrieval.settings import RetrievalSettings
from engine.types import LLMSettings

# Engine settings a merchant does not set: the platform tunes them for every bot.
INTERNAL = {
    LLMSettings: {
        # How hard the platform retries its model provider before the first token is an
        # operations choice (cost, latency), not a property of the shop.
        "max_retries",
    },
    RetrievalSettings: {
        # The HNSW index's search breadth: a property of the index, not of the shop.
        "ef_search",
        # Tuned against the fusion scores' scale; changing it means re-running the evals.
        "page_boost",
    },
}
# API fields the engine's settings do not hold.
API_ONLY = {
    # Write-only, stored encrypted in its own column and never part of the settings.
    LLMConfig: {"api_key"},
    RetrievalConfig: set(),
}
PAIRS = [(LLMConfig, LLMSettings), (RetrievalConfig, RetrievalSettings)]


def _bounds(metadata: typing.Iterable[Any]) -> dict[str, Any]:
    """{"ge": 1, "le": 20} from annotated_types constraints (Interval, Ge, Le, ...)."""
    found = {}
    for item in metadata:
        for name in ("gt", "ge", "lt", "le"):
            value = getattr(item, name, None)
            if value is not None:
                found[name] = value
    return found


def _engine_hints(settings: type) -> dict[str, Any]:
    return typing.get_type_hints(settings, include_extras=True)


@pytest.mark.parametrize(("api", "engine"), PAIRS, ids=["llm", "retrieval"])
def test_the_api_offers_each_engine_setting_or_lists_it_as_internal(
    api: type[BaseModel], engine: type
) -> None:
    engine_names = {f.name for f in dataclasses.fields(engine)}
    assert INTERNAL[engine] <= engine_names, "an internal setting the engine no longer has"
    assert set(api.model_fields) == engine_names - INTERNAL[engine] | API_ONLY[api]


@pytest.mark.parametrize(("api", "engine"), PAIRS, ids=["llm", "retrieval"])
def test_each_shared_setting_has_the_engines_type_and_bounds(
    api: type[BaseModel], engine: type
) -> None:
    api_types = typing.get_type_hints(api)
    for name, hint in _engine_hints(engine).items():
        if name in INTERNAL[engine]:
            continue
        field: FieldInfo = api.model_fields[name]
        engine_type = typing.get_args(hint)[0] if hasattr(hint, "__metadata__") else hint
        # Optional in the API: omitted or null means the engine's default.
        assert api_types[name] == engine_type | None, name
        assert field.default is None, name
        assert _bounds(field.metadata) == _bounds(getattr(hint, "__metadata__", ())), name


@pytest.mark.parametrize(("api", "engine"), PAIRS, ids=["llm", "retrieval"])
def test_the_api_accepts_the_engines_defaults(api: type[BaseModel], engine: type) -> None:
    defaults = {
        f.name: f.default for f in dataclasses.fields(engine) if f.name not in INTERNAL[engine]
    }
    assert api.model_validate(defaults).model_dump(exclude_unset=True) == defaults


def test_a_stored_key_the_engine_does_not_know_is_reported_and_ignored(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot_id = BotId(uuid.uuid4())
    stored = {"top_k": 7, "hybrid_alpha": 0.5, "min_score": None}
    with caplog.at_level(logging.WARNING, logger="engine.bot_config"):
        settings = settings_from_json(
            RetrievalSettings, stored, bot_id=bot_id, column="retrieval_settings"
        )
        # Once per process: bots are loaded for every question.
        settings_from_json(RetrievalSettings, stored, bot_id=bot_id, column="retrieval_settings")
    assert settings == RetrievalSettings(top_k=7)
    reports = [r.getMessage() for r in caplog.records]
    assert reports == [
        f"bot {bot_id}: retrieval_settings has no setting 'hybrid_alpha'; the value is ignored"
    ]
