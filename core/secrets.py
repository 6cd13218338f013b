"""The process's own secrets: the JWT signing key and the at-rest encryption keys.

Production sets `SHOPBOT_SECRET_KEY` and `SHOPBOT_ENCRYPTION_KEYS` (and refuses to run
without them). Without them in development they are generated once into
`DATA_DIR/secrets.json` (mode 0600), so a second `shopbot demo` can still decrypt what the
first one stored. Those keys are this data dir's alone: processes that share an external
database but not the data dir would each sign and encrypt with their own, hence the
warning below.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from core.crypto import SecretBox, generate_key
from core.errors import ConfigurationError
from core.settings import Settings

log = logging.getLogger(__name__)

_warned_about_local_keys = False


@dataclass(frozen=True)
class ProcessSecrets:
    signing_key: str
    secret_box: SecretBox


def load_process_secrets(settings: Settings) -> ProcessSecrets:
    signing = settings.secret_key.get_secret_value() if settings.secret_key else None
    encryption = settings.encryption_keys.get_secret_value() if settings.encryption_keys else None
    if signing is None or encryption is None:
        if settings.env == "production":
            raise ConfigurationError(
                "production needs SHOPBOT_SECRET_KEY and SHOPBOT_ENCRYPTION_KEYS set explicitly; "
                "keys are never generated into the data dir in production"
            )
        if settings.database_url is not None:
            _warn_about_local_keys(settings.data_dir / "secrets.json")
        stored = _load_or_create(settings.data_dir / "secrets.json")
        signing = signing or stored["secret_key"]
        encryption = encryption or stored["encryption_keys"]
    return ProcessSecrets(signing_key=signing, secret_box=SecretBox.from_setting(encryption))


def with_explicit_secrets(settings: Settings) -> Settings:
    """`settings` with both keys set: the given ones, else this data dir's (generated once,
    here). `shopbot serve --workers N` hands these to its worker processes, so they sign and
    encrypt with the same keys and never race to create `secrets.json`."""
    if settings.secret_key is not None and settings.encryption_keys is not None:
        return settings
    load_process_secrets(settings)  # the production refusal and the warning, as everywhere
    stored = _load_or_create(settings.data_dir / "secrets.json")
    return settings.model_copy(
        update={
            "secret_key": settings.secret_key or SecretStr(stored["secret_key"]),
            "encryption_keys": settings.encryption_keys or SecretStr(stored["encryption_keys"]),
        }
    )


def _warn_about_local_keys(path: Path) -> None:
    global _warned_about_local_keys  # once per process: tasks load secrets per run
    if _warned_about_local_keys:
        return
    _warned_about_local_keys = True
    log.warning(
        "!!! DATABASE_URL points at an external database but SHOPBOT_SECRET_KEY and/or "
        "SHOPBOT_ENCRYPTION_KEYS are not set: this process uses keys from %s. Every other process "
        "or replica without that file has its own, so tokens fail between them and store "
        "credentials "
        "cannot be decrypted after a redeploy. Set both explicitly (SHOPBOT_ENV=production "
        "enforces it). !!!",
        path,
    )


def _load_or_create(path: Path) -> dict[str, str]:
    if path.exists():
        stored: dict[str, str] = json.loads(path.read_text())
        return stored
    path.parent.mkdir(parents=True, exist_ok=True)
    values = {"secret_key": secrets.token_urlsafe(48), "encryption_keys": generate_key()}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(values, handle)
    return values
