"""The privacy endpoints' own expected failures."""

from __future__ import annotations

from core.errors import ValidationFailed

CONFIRM_MESSAGE = "must be the business's exact name"


class ConfirmationMismatch(ValidationFailed):
    """422 with a field error on `confirm`, like any validation failure, so a form can
    show it next to the field."""

    code = "confirmation_mismatch"
    title = "The confirmation does not match the business name"

    def __init__(self) -> None:
        super().__init__(
            f"confirm: {CONFIRM_MESSAGE}",
            errors=[
                {
                    "location": "body",
                    "field": "confirm",
                    "message": CONFIRM_MESSAGE,
                    "type": self.code,
                }
            ],
        )
