"""Each stored state has one list of values, its StrEnum: the database's CHECK constraints
(as the migrations made them) and the merchant API's typed parameters list the same."""

from __future__ import annotations

import re
import typing
from enum import StrEnum

import psycopg
import pytest
from sqlalchemy.engine import URL

from api.handoff.schemas import HandoffStatus
from core.models.conversation import HandoffState, MessageRole
from core.models.store import StoreStatus
from core.models.sync import ACTIVE_JOB_PREDICATE, SyncJobStatus, SyncMode
from core.models.user import MembershipRole
from dashboard_api.conversations import schemas as conversation_schemas
from dashboard_api.stores import endpoints as store_endpoints
from dashboard_api.stores.schemas import SyncMode as SyncModeParameter
from dashboard_api.team.schemas import Role

CHECKED_COLUMNS: list[tuple[str, str, type[StrEnum]]] = [
    ("sync_jobs", "ck_sync_jobs_mode", SyncMode),
    ("sync_jobs", "ck_sync_jobs_status", SyncJobStatus),
    ("store_connections", "ck_store_connections_status", StoreStatus),
    ("memberships", "ck_memberships_role", MembershipRole),
    ("invitations", "ck_invitations_role", MembershipRole),
    ("messages", "ck_messages_role", MessageRole),
    ("conversations", "ck_conversations_handoff_state", HandoffState),
]


def _quoted_values(sql: str) -> list[str]:
    return re.findall(r"'([^']*)'", sql)


@pytest.fixture
def owner_conn(owner_url: URL):
    with psycopg.connect(
        owner_url.set(drivername="postgresql").render_as_string(hide_password=False)
    ) as conn:
        yield conn


@pytest.mark.parametrize(("table", "constraint", "states"), CHECKED_COLUMNS)
def test_migrated_check_constraints_allow_exactly_the_enum_values(
    owner_conn, table: str, constraint: str, states: type[StrEnum]
) -> None:
    definition = owner_conn.execute(
        """
        SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
        JOIN pg_class t ON t.oid = c.conrelid
        WHERE t.relname = %s AND c.conname = %s
        """,
        (table, constraint),
    ).fetchone()
    assert definition is not None, constraint
    assert _quoted_values(definition[0]) == [state.value for state in states]


def test_the_one_active_job_per_store_index_covers_the_active_statuses(owner_conn) -> None:
    definition = owner_conn.execute(
        "SELECT pg_get_indexdef('uq_sync_jobs_one_active_per_store'::regclass)"
    ).fetchone()
    assert _quoted_values(definition[0]) == _quoted_values(ACTIVE_JOB_PREDICATE)
    assert _quoted_values(ACTIVE_JOB_PREDICATE) == ["queued", "running"]


def test_merchant_api_parameters_list_the_stored_values() -> None:
    assert list(typing.get_args(SyncModeParameter)) == [mode.value for mode in SyncMode]
    assert list(typing.get_args(Role)) == [role.value for role in MembershipRole]
    job_filter = typing.get_type_hints(store_endpoints.list_sync_jobs)["status"]
    store_filter = typing.get_type_hints(store_endpoints.list_stores)["status"]
    assert _literal_values(job_filter) == [status.value for status in SyncJobStatus]
    assert _literal_values(store_filter) == [status.value for status in StoreStatus]


def test_the_apis_list_the_stored_handoff_states_and_message_roles() -> None:
    handoff_states = [state.value for state in HandoffState]
    assert list(typing.get_args(conversation_schemas.HandoffState)) == handoff_states
    assert list(typing.get_args(conversation_schemas.HandoffFilter))[:2] == handoff_states
    widget_state = typing.get_type_hints(HandoffStatus)["state"]
    assert list(typing.get_args(widget_state)) == handoff_states
    message_role = typing.get_type_hints(conversation_schemas.MessageOut)["role"]
    assert list(typing.get_args(message_role)) == [role.value for role in MessageRole]


def _literal_values(annotation: object) -> list[str]:
    """The values of `Literal[...] | None`."""
    literal = next(arg for arg in typing.get_args(annotation) if arg is not type(None))
    return list(typing.get_args(literal))
