"""Declarative base and the mixins every table shares."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, ForeignKeyConstraint, MetaData, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Deterministic constraint names, so autogenerate and `alembic check` agree with migrations.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UUIDPrimaryKey:
    """An `id` (uuid4, made by the application). In a tenant table the primary key is
    (tenant_id, id) (see `TenantScoped`), but the ORM still identifies a row by its id
    alone: ids are unique on their own and a session works for one tenant, so
    `session.get(Model, id)` keeps working."""

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    __mapper_args__: dict[str, Any] = {"primary_key": ["id"]}


class CreatedAt:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class Timestamps(CreatedAt):
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )


class TenantScoped:
    """A row that belongs to one tenant. The migration puts an RLS policy on its table.

    `tenant_id` leads the primary key (alembic 0012): the table can be distributed by
    tenant (Citus enforces keys only within a shard), and every unique constraint and
    every foreign key to another tenant table (`tenant_foreign_key`) includes it too."""

    @declared_attr
    def tenant_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(
            UUID(as_uuid=True),
            ForeignKey("tenants.id", ondelete="CASCADE"),
            primary_key=True,
            index=True,
            # First among the table's columns, so the primary key is (tenant_id, ...).
            sort_order=-1,
        )


def tenant_foreign_key(
    table: str, column: str, parent: str, *, ondelete: str
) -> ForeignKeyConstraint:
    """`table.column` names a row of the tenant table `parent` of the same tenant:
    (tenant_id, column) references the parent's (tenant_id, id). SET NULL clears only
    `column` (PostgreSQL 15+), never tenant_id. Named as before the key was composite."""
    return ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{parent}.tenant_id", f"{parent}.id"],
        name=f"fk_{table}_{column}_{parent}",
        ondelete=f"SET NULL ({column})" if ondelete == "SET NULL" else ondelete,
    )
