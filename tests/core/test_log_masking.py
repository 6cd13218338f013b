"""The log setup's PersonalDataFilter: a logged chat text, an exception message and a
string `extra=` field keep no e-mail address, phone number or card number, in both formats."""

from __future__ import annotations

import io
import json
import logging

import pytest

from core.observability.logs import configure_logging

EMAIL, PHONE, CARD = "jane.doe@example.com", "+44 7700 900123", "4111 1111 1111 1111"


def _logged(log_format: str) -> str:
    stream = io.StringIO()
    handler = configure_logging("INFO", log_format, stream=stream)  # type: ignore[arg-type]
    logger = logging.getLogger("shopbot.tests.masking")
    try:
        logger.info("shopper asked: %s", f"mail {EMAIL}, call {PHONE}, card {CARD}")
        logger.info("order SKU 12345678 costs $1,299.00 on 2026-03-29", extra={"note": EMAIL})
        try:
            raise ValueError(f"could not reach {EMAIL} with card {CARD}")
        except ValueError:
            logger.exception("sending failed")
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger().setLevel(logging.WARNING)
    return stream.getvalue()


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_logs_keep_no_contact_details_or_card_numbers(log_format: str) -> None:
    written = _logged(log_format)
    for secret in (EMAIL, PHONE, CARD, "4111111111111111"):
        assert secret not in written
    assert "[card]" in written
    assert "ValueError: could not reach" in written  # the traceback itself is kept
    # What is not personal data is left as it was.
    assert "order SKU 12345678 costs $1,299.00 on 2026-03-29" in written


def test_json_lines_mask_the_message_and_the_exception() -> None:
    lines = [json.loads(line) for line in _logged("json").splitlines()]
    asked, order, failed = lines
    assert asked["message"] == "shopper asked: mail [email], call [phone], card [card]"
    assert order["note"] == "[email]"
    assert "could not reach [email] with card [card]" in failed["exception"]
