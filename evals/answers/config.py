"""An answer eval's configuration: a TOML file (`--config`), resolved against the product's
defaults, and its hash (results say exactly what was run).

    [model]          # absent: the offline answerer
    base_url = "https://api.openai.com/v1"
    model = "gpt-4o-mini"
    api_key_env = "OPENAI_API_KEY"
    [judge]          # absent: no LLM judge; same keys as [model]
    [retrieval]      # any field of engine.retrieval.settings.RetrievalSettings
    vector_weight = 1.0
    top_k = 5
    [chunking]       # size / overlap in tokens (absent: the embedding space's defaults)
    size = 200
    overlap = 30

Unknown tables and keys are errors, not silently ignored: a misspelt setting would
otherwise measure the defaults under the wrong name.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from engine.retrieval.settings import RetrievalSettings
from ingestion.chunking import MIN_CHUNK_SIZE
from ingestion.indexing.chunks import chunk_sizes

TABLES = ("model", "judge", "retrieval", "chunking")
ENDPOINT_KEYS = ("base_url", "model", "api_key_env")
CHUNKING_KEYS = ("size", "overlap")
RETRIEVAL_KEYS = tuple(f.name for f in fields(RetrievalSettings))


class ConfigError(ValueError):
    """A config file that cannot be used, with a message naming the file and the key."""


@dataclass(frozen=True, slots=True)
class ModelEndpoint:
    """An OpenAI-compatible endpoint; the key is read from the environment variable named
    here, so a config file can be committed."""

    model: str
    base_url: str | None = None
    api_key_env: str | None = None

    def api_key(self) -> str:
        name = self.api_key_env or "OPENAI_API_KEY"
        value = os.environ.get(name)
        if not value:
            raise ConfigError(
                f"the model {self.model!r} needs an API key in ${name}, which is unset"
            )
        return value


@dataclass(frozen=True, slots=True)
class EvalConfig:
    model: ModelEndpoint | None = None  # None: the offline answerer
    judge: ModelEndpoint | None = None  # None: no LLM judge
    retrieval: dict[str, Any] = field(default_factory=dict)  # overrides of the defaults
    chunking: tuple[int, int] | None = None  # (size, overlap); None: the space's defaults

    def retrieval_settings(self) -> RetrievalSettings:
        return RetrievalSettings(**self.retrieval)

    def chunk_sizes(self, space: str) -> tuple[int, int]:
        return self.chunking or chunk_sizes(space)

    def with_retrieval(self, **overrides: Any) -> EvalConfig:
        merged = {**self.retrieval, **overrides}
        _check_retrieval(merged, "the sweep")
        return EvalConfig(self.model, self.judge, merged, self.chunking)

    def with_chunking(self, chunking: tuple[int, int] | None) -> EvalConfig:
        return EvalConfig(self.model, self.judge, dict(self.retrieval), chunking)

    def resolved(self, space: str) -> dict[str, Any]:
        """Everything the run used, defaults written out (what results.json records)."""
        size, overlap = self.chunk_sizes(space)
        return {
            "model": asdict(self.model) if self.model else {"provider": "offline"},
            "judge": asdict(self.judge) if self.judge else None,
            "retrieval": asdict(self.retrieval_settings()),
            "chunking": {"size": size, "overlap": overlap},
            "embedding_space": space,
        }


def config_hash(resolved: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(resolved, sort_keys=True).encode()).hexdigest()


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """A TOML file's tables, or a one-line ConfigError naming it (`what`: "config", "grid")."""
    try:
        return tomllib.loads(path.read_text())
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{what} {path} is not valid TOML: {exc}") from None


def load_config(path: Path | None) -> EvalConfig:
    """The file's config; None: the product's defaults (offline answerer, no judge)."""
    if path is None:
        return EvalConfig()
    raw = read_toml(path, "config")
    where = str(path)
    _only(raw, TABLES, f"{where}: table")
    tables = {}
    for name in TABLES:
        value = raw.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: [{name}] must be a table")
        tables[name] = value
    retrieval = dict(tables["retrieval"])
    _check_retrieval(retrieval, where)
    return EvalConfig(
        model=_endpoint(tables["model"], f"{where} [model]"),
        judge=_endpoint(tables["judge"], f"{where} [judge]"),
        retrieval=retrieval,
        chunking=chunking_pair(tables["chunking"], f"{where} [chunking]"),
    )


def _only(table: dict[str, Any], allowed: tuple[str, ...], what: str) -> None:
    for key in table:
        if key not in allowed:
            raise ConfigError(f"{what} {key!r} is unknown; expected one of: {', '.join(allowed)}")


def _endpoint(table: dict[str, Any], where: str) -> ModelEndpoint | None:
    if not table:
        return None
    _only(table, ENDPOINT_KEYS, f"{where}: key")
    for key, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: {key} must be a non-empty string")
    if "model" not in table:
        raise ConfigError(f"{where}: 'model' is required")
    return ModelEndpoint(
        model=table["model"], base_url=table.get("base_url"), api_key_env=table.get("api_key_env")
    )


_RETRIEVAL = TypeAdapter(RetrievalSettings)


def _check_retrieval(values: dict[str, Any], where: str) -> None:
    _only(values, RETRIEVAL_KEYS, f"{where}: [retrieval] key")
    try:
        _RETRIEVAL.validate_python(values, strict=False)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()
        )
        raise ConfigError(f"{where}: [retrieval] {problems}") from None


def chunking_pair(table: dict[str, Any], where: str) -> tuple[int, int] | None:
    if not table:
        return None
    _only(table, CHUNKING_KEYS, f"{where}: key")
    size, overlap = table.get("size"), table.get("overlap")
    if not isinstance(size, int) or not isinstance(overlap, int):
        raise ConfigError(f"{where}: size and overlap are both required, as integers")
    if size < MIN_CHUNK_SIZE or not 0 <= overlap <= size // 2:
        raise ConfigError(
            f"{where}: size must be at least {MIN_CHUNK_SIZE} and overlap between 0 and size/2"
        )
    return size, overlap
