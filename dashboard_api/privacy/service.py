"""`GET /v1/privacy/export`: everything a business holds, as a zip of JSON Lines files.

One file per table with a `tenant_id` (read from the catalogue, so a table added later is
in the next export without a change here) and `tenants.jsonl` for the business profile.
Secret columns and embedding vectors are left out (`columns.py`); README.txt in the zip
says which and why.

The zip is written to a temporary file on disk, row batch by row batch from a server-side
cursor, never held in memory: a big store's conversations are millions of rows. The file
is streamed to the client and removed once sent. All tables are read in the request's
transaction, so the export is one consistent read of the tenant.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from dashboard_api.audit_log import service as audit
from dashboard_api.auth.context import MerchantContext
from dashboard_api.privacy import repository
from dashboard_api.privacy.columns import EXCLUDED_COLUMNS, EXCLUDED_TYPES, exported
from web.client import ClientInfo

WRITE_BATCH_LINES = 500


@dataclass
class ExportFile:
    path: str
    filename: str
    row_counts: dict[str, int] = field(default_factory=dict)
    left_out: dict[str, list[str]] = field(default_factory=dict)  # table -> columns


def export_filename(tenant_id: TenantId, now: datetime) -> str:
    return f"shopbot-export-{tenant_id}-{now.strftime('%Y-%m-%d')}.zip"


async def export_tenant(
    session: AsyncSession, context: MerchantContext, client: ClientInfo
) -> ExportFile:
    """Writes the archive to a temporary file (the caller removes it after sending) and
    records the export in the audit log (counts only, no content)."""
    tenant_id = context.tenant_id
    handle, path = tempfile.mkstemp(prefix="shopbot-export-", suffix=".zip")
    os.close(handle)
    export = ExportFile(path=path, filename=export_filename(tenant_id, datetime.now(UTC)))
    try:
        tables = [repository.TENANTS_TABLE, *await repository.tenant_tables(session)]
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in tables:
                await _write_table(session, tenant_id, table, archive, export)
            archive.writestr("README.txt", _readme(export))
    except BaseException:
        os.unlink(path)
        raise
    await audit.record_by(
        session,
        context,
        "privacy.exported",
        client=client,
        target_type="tenant",
        target_id=tenant_id,
        details={"tables": len(export.row_counts), "rows": sum(export.row_counts.values())},
    )
    return export


async def _write_table(
    session: AsyncSession,
    tenant_id: TenantId,
    table: str,
    archive: zipfile.ZipFile,
    export: ExportFile,
) -> None:
    columns = await repository.columns_of(session, table)
    kept = [c.name for c in columns if exported(c.name, c.type_name)]
    export.left_out[table] = [c.name for c in columns if c.name not in kept]
    count = 0
    with archive.open(f"{table}.jsonl", "w") as member:
        batch: list[str] = []
        async for line in repository.stream_rows(session, tenant_id, table, kept):
            batch.append(line)
            count += 1
            if len(batch) >= WRITE_BATCH_LINES:
                # Compressing is CPU work: off the event loop, a batch at a time.
                await asyncio.to_thread(member.write, _lines(batch))
                batch = []
        if batch:
            await asyncio.to_thread(member.write, _lines(batch))
    export.row_counts[table] = count


def _lines(batch: list[str]) -> bytes:
    return ("\n".join(batch) + "\n").encode()


def _readme(export: ExportFile) -> str:
    reasons = {**EXCLUDED_COLUMNS, **{f"({kind})": why for kind, why in EXCLUDED_TYPES.items()}}
    lines = [
        "Shopbot: everything this business holds",
        "",
        "One JSON Lines file per table (one JSON object per line, UTF-8);",
        "tenants.jsonl is the business profile itself.",
        "",
        "Rows per file:",
        *(f"  {table}.jsonl: {count}" for table, count in export.row_counts.items()),
        "",
        "Left out on purpose:",
        "  - secrets (store credentials, webhook secrets, API key and token hashes,",
        "    encrypted model keys): they would let anyone holding this file act as you;",
        "  - embedding vectors and search indexes: large, and computed again from the text",
        "    that is in this export.",
        "",
        "Columns left out, per table:",
    ]
    for table, columns in export.left_out.items():
        if columns:
            lines.append(f"  {table}: {', '.join(columns)}")
    lines += ["", "Why each kind of column is left out:"]
    lines += [f"  {name}: {why}" for name, why in reasons.items()]
    lines += [
        "",
        "Team members' accounts (email, password) are not part of the business's tables;",
        "memberships.jsonl lists who belonged to it, by user id and role.",
        "",
    ]
    return "\n".join(lines)
