"""What a guardrail did to an answer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

CorrectionKind = Literal["price", "stock", "removed_sentence", "promise", "leak"]


@dataclass(frozen=True, slots=True)
class Correction:
    kind: CorrectionKind
    original: str
    replacement: str  # "" when the sentence was removed
    product_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class GuardrailResult:
    text: str
    corrections: tuple[Correction, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.corrections)
