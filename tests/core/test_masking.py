"""core.privacy.masking: contact details and card numbers masked, shop numbers left alone."""

from __future__ import annotations

import pytest

from core.privacy.masking import luhn_valid, mask_personal_data


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("email me at jane.doe+shop@example.co.uk please", "email me at [email] please"),
        ("JANE@EXAMPLE.COM", "[email]"),
        ("call me on +49 151 23456789 tomorrow", "call me on [phone] tomorrow"),
        ("+1 (555) 010-0200.", "[phone]."),
        ("+33 6 12 34 56 78", "[phone]"),
        ("+447700900123", "[phone]"),
        ("(555) 010-0200", "[phone]"),
        ("555-010-0200", "[phone]"),
        ("555.010.0200", "[phone]"),
        ("my number: 0151 23456789", "my number: [phone]"),
        ("020 7946 0958", "[phone]"),
        ("06 12 34 56 78", "[phone]"),
        ("0151/23456789", "[phone]"),
        ("call 5550100200 after six", "call [phone] after six"),
        ("WhatsApp: 7700900123", "WhatsApp: [phone]"),
        ("card 4111 1111 1111 1111 exp 12/29", "card [card] exp 12/29"),
        ("4111-1111-1111-1111", "[card]"),
        ("4111111111111111", "[card]"),
        ("amex 3782 822463 10005", "amex [card]"),
        ("6011 0009 9013 9424, cvv later", "[card], cvv later"),
        (
            "jane@example.com, 555-010-0200 and 4111 1111 1111 1111",
            "[email], [phone] and [card]",
        ),
    ],
)
def test_contact_details_and_cards_are_masked(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "$1,299.00",
        "It costs 1.299,00 € for 2 items",
        "2026-03-29",
        "29/03/2026 10:30",
        "10:30-12:00",
        "SKU 12345678",
        "order #10234",
        "order number 0123456789",
        "invoice 0001234567",
        "size 10-12, ships in 3-5 days, 24.00 each",
        "zip 10115 Berlin",
        "1 234 567 units",
        "v1.2.3",
        "+20% off",
        "EAN 4006381333931",
        "ISBN 978-3-16-148410-0",
        "tracking 1Z999AA10123456784",
        # Card-shaped but failing the Luhn check: not a card.
        "4111 1111 1111 1112",
        "4111111111111112",
        "1234-5678-9012-3456",
        "",
    ],
)
def test_prices_dates_skus_order_numbers_and_non_luhn_numbers_stay(text: str) -> None:
    assert mask_personal_data(text) == text


def test_keeping_contacts_keeps_emails_and_phones_but_never_cards() -> None:
    text = "jane@example.com or 555-010-0200, card 4111 1111 1111 1111"
    assert mask_personal_data(text, keep_contacts=True) == (
        "jane@example.com or 555-010-0200, card [card]"
    )


def test_luhn() -> None:
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")
    assert luhn_valid("4111111111111111")
