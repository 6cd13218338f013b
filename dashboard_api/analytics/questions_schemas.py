"""The shapes of `/v1/analytics/top-questions` and `/v1/analytics/content-gaps`."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from dashboard_api.analytics.schemas import DayWindow

ANSWERED_MEANS = (
    "answered: the reply had status `ok` and cited at least one source (a product or a "
    "knowledge document); a `no_answer`, an `error` or a reply citing nothing is unanswered"
)


class _Cluster(BaseModel):
    cluster_id: uuid.UUID = Field(description="Questions grouped by meaning, for one bot")
    asked: int = Field(description="Questions of the cluster asked in the window")
    representative: str | None = Field(
        description="The question that opened the cluster, else its newest one still stored"
    )
    examples: list[str] = Field(
        description="Up to three other wordings asked in the window, newest first"
    )


class TopQuestionCluster(_Cluster):
    answered: int = Field(description=ANSWERED_MEANS)
    answered_share: float = Field(description="answered / asked")


class TopQuestions(DayWindow):
    questions: list[TopQuestionCluster]


class ContentGap(_Cluster):
    unanswered: int = Field(description="asked - answered; " + ANSWERED_MEANS)


class ContentGaps(DayWindow):
    gaps: list[ContentGap]
