from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field


class TenantDelete(BaseModel):
    model_config = ConfigDict(extra="forbid")

    confirm: str = Field(
        min_length=1,
        max_length=200,
        description="The business's exact name, as shown on its profile: the deletion "
        "cannot be undone.",
    )


class TenantErased(BaseModel):
    erasure_id: uuid.UUID = Field(description="The erasure record kept without personal data")
    row_counts: dict[str, int] = Field(description="Rows removed, per table")
