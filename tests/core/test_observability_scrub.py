"""The scrubber behind error reports and log lines: credentials by name and by shape,
shopper text and contact data, wherever in an event they sit."""

from __future__ import annotations

import pytest

from core.observability.scrub import FILTERED, scrub_query_string, scrub_text
from core.observability.sentry import scrub_breadcrumb, scrub_event

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJ0aWQiOiJ0LTEiLCJleHAiOjE3MDAwMDAwMDB9.abcDEF123_-xyz"


@pytest.mark.parametrize(
    "secret",
    [
        JWT,
        "sk-proj-AbCdEfGhIjKlMnOpQrStUv",
        "sk-AbCdEfGhIjKlMnOpQrStUvWx",
        "sk_live_Q2hhbmdlTWVQbGVhc2VJbUFLZXk",
        "wk_3ZpcmVkLWtleS1mb3I",
        # A dashboard refresh token (dashboard_api.auth.tokens.new_refresh_token): 30 days of
        # access.
        "rt_3f2b6c1e9d7a4c3b8e5f0a1b2c3d4e5f_Q2hhbmdlTWVQbGVhc2VJbUFSZWZyZXNoVG9rZW4",
        "rk_live_51HxYzAbCdEfGhIjKlMnOp",
        "ck_" + "0123456789abcdef" * 2 + "01234567",
        "cs_" + "fedcba9876543210" * 2 + "76543210",
        "jane.doe+shop@example.co.uk",
        "jane.doe%40example.com",
        "+49 30 1234 5678",
        "(415) 555-0132",
    ],
)
def test_a_credential_or_contact_shape_is_replaced_inside_any_text(secret: str) -> None:
    scrubbed = scrub_text(f"failed for <{secret}> at step 3")
    assert secret not in scrubbed
    assert scrubbed.startswith("failed for <") and scrubbed.endswith("> at step 3")


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-04T21:22:46.123+00:00",
        "sync of store 3f2b6c1e-9d7a-4c3b-8e5f-0a1b2c3d4e5f took 12.5 s",
        "sentry-sdk 2.75.0 on python 3.11.7",
        "GET /widget/v1/chat 200",
        "price 1299.00 EUR, 15 in stock",
        "Token expired; the widget asks for a new session",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert scrub_text(text) == text


def test_credentials_in_urls_and_query_strings() -> None:
    assert scrub_text("https://shop:hunter2@store.example/wp-json?consumer_secret=abc&page=2") == (
        f"https://{FILTERED}@store.example/wp-json?consumer_secret={FILTERED}&page=2"
    )
    assert (
        scrub_text("redis://:s3cret-pass@10.0.0.5:6379/0") == f"redis://{FILTERED}@10.0.0.5:6379/0"
    )
    assert scrub_query_string("token=abc&email=a%40b.co&from=2026-01-01") == (
        "token=%5BFiltered%5D&email=%5BFiltered%5D&from=2026-01-01"
    )


def test_an_event_loses_every_private_part_but_keeps_what_explains_the_error() -> None:
    event = {
        "request": {
            "url": "https://api.example/v1/privacy/visitors/jane@example.com",
            "method": "POST",
            "headers": {
                "Authorization": f"Bearer {JWT}",
                "X-Api-Key": "anything",
                "X-Forwarded-For": "198.51.100.7",
                "X-WC-Webhook-Signature": "c2lnbmF0dXJl",
                "Content-Type": "application/json",
            },
            "cookies": {"session": "abc"},
            "query_string": "widget_key=wk_abcdefghijklmnop&page=2",
            "data": {
                "message": "my number is 555 0101",
                "items": [{"note": "leave at door"}],
                "count": 3,
            },
            "env": {"REMOTE_ADDR": "198.51.100.7"},
        },
        "exception": {
            "values": [
                {
                    "type": "UpstreamError",
                    "value": f"OpenAI said 401 for sk-abcdefghijklmnopqrstu (user {JWT})",
                    "stacktrace": {
                        "frames": [
                            {"function": "f", "vars": {"password": "pw", "email": "a@b.co", "n": 1}}
                        ]
                    },
                }
            ]
        },
        "extra": {
            "celery-job": {
                "kwargs": {"tenant_id": "t-1", "consumer_secret": "cs_x", "message": "hi"}
            }
        },
        "user": {"id": "u-1", "email": "a@b.co", "ip_address": "198.51.100.7"},
        "logentry": {"message": "login failed for %s", "params": ["jane@example.com"]},
        "breadcrumbs": {
            "values": [{"message": "POST https://x.example/?token=abc", "data": {"password": "pw"}}]
        },
    }
    scrubbed = scrub_event(event)
    request = scrubbed["request"]
    assert request["url"] == f"https://api.example/v1/privacy/visitors/{FILTERED}"
    assert request["headers"] == {
        "Authorization": FILTERED,
        "X-Api-Key": FILTERED,
        "X-Forwarded-For": FILTERED,
        "X-WC-Webhook-Signature": FILTERED,
        "Content-Type": "application/json",
    }
    assert request["cookies"] == FILTERED and request["env"] == {}
    assert request["query_string"] == "widget_key=%5BFiltered%5D&page=2"
    assert request["data"] == {"message": FILTERED, "items": [{"note": FILTERED}], "count": 3}
    exception = scrubbed["exception"]["values"][0]
    assert exception["type"] == "UpstreamError"
    assert exception["value"] == f"OpenAI said 401 for {FILTERED} (user {FILTERED})"
    assert exception["stacktrace"]["frames"][0]["vars"] == {
        "password": FILTERED,
        "email": FILTERED,
        "n": 1,
    }
    assert scrubbed["extra"]["celery-job"]["kwargs"] == {
        "tenant_id": "t-1",
        "consumer_secret": FILTERED,
        "message": FILTERED,
    }
    assert scrubbed["user"] == {"id": "u-1"}
    assert scrubbed["logentry"]["params"] == [FILTERED]
    assert scrubbed["breadcrumbs"]["values"] == [
        {"message": f"POST https://x.example/?token={FILTERED}", "data": {"password": FILTERED}}
    ]


def test_an_http_breadcrumb_keeps_its_url_and_loses_its_query_secrets() -> None:
    crumb = {
        "category": "httplib",
        "data": {
            "url": "https://store.example/wp-json/wc/v3/products",
            "http.query": "consumer_key=ck_1&page=3",
        },
    }
    assert scrub_breadcrumb(crumb)["data"] == {
        "url": "https://store.example/wp-json/wc/v3/products",
        "http.query": "consumer_key=%5BFiltered%5D&page=3",
    }
