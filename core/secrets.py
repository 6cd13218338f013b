"""The process's own secrets: the JWT signing key and the at-rest encryption keys.

Production sets `SHOPBOT_SECRET_KEY` and `SHOPBOT_ENCRYPTION_KEYS`. Without them (the
embedded default) they are generated once into `DATA_DIR/secrets.json` (mode 0600), so a
second `shopbot demo` can still decrypt what the first one stored.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from core.crypto import SecretBox, generate_key
from core.settings import Settings


@dataclass(frozen=True)
class ProcessSecrets:
    signing_key: str
    secret_box: SecretBox


def load_process_secrets(settings: Settings) -> ProcessSecrets:
    signing = settings.secret_key.get_secret_value() if settings.secret_key else None
    encryption = settings.encryption_keys.get_secret_value() if settings.encryption_keys else None
    if signing is None or encryption is None:
        stored = _load_or_create(settings.data_dir / "secrets.json")
        signing = signing or stored["secret_key"]
        encryption = encryption or stored["encryption_keys"]
    return ProcessSecrets(signing_key=signing, secret_box=SecretBox.from_setting(encryption))


def _load_or_create(path: Path) -> dict[str, str]:
    if path.exists():
        return json.loads(path.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    values = {"secret_key": secrets.token_urlsafe(48), "encryption_keys": generate_key()}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(values, handle)
    return values
