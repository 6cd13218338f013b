"""`shopbot stores add` passes the outbound guard: a hostile store URL is one error line
naming the refusal, nothing is stored and nothing reaches the listener on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import func, select
from sqlalchemy.engine import URL

from core.db.database import Database
from core.models import StoreConnection
from tests.support.listener import RecordingListener
from tests.support.sync import new_tenant


def _add(
    owner_url: URL, tenant: str, url: str, env_extra: dict[str, str]
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "COLUMNS": "200",
        "DATABASE_URL": owner_url.render_as_string(hide_password=False),
        **env_extra,
    }
    for name in (
        "SHOPBOT_OUTBOUND_ALLOW_HTTP",
        "SHOPBOT_OUTBOUND_ALLOWED_HOSTS",
        "SHOPBOT_OUTBOUND_ALLOWED_PORTS",
    ):
        if name not in env_extra:
            env.pop(name, None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "cli.main",
            "stores",
            "add",
            "--tenant",
            tenant,
            "--url",
            url,
            "--key",
            "ck_test",
            "--secret",
            "cs_test",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
    )


async def test_stores_add_refuses_hostile_urls_in_one_line_and_sends_nothing(
    owner_url: URL, committed_db: Database
) -> None:
    tenant = await new_tenant(committed_db, "CLI outbound")
    with RecordingListener() as listener:
        # The operator allowed plain http and the listener's port, but no host: the address
        # itself must be what refuses these.
        opened = {
            "SHOPBOT_OUTBOUND_ALLOW_HTTP": "true",
            "SHOPBOT_OUTBOUND_ALLOWED_PORTS": f"80,443,{listener.port}",
        }
        cases = [
            (f"http://2130706433:{listener.port}", opened, "loopback"),
            (f"http://[::ffff:127.0.0.1]:{listener.port}", opened, "loopback"),
            (f"http://0x7f.1:{listener.port}", opened, "loopback"),
            ("http://169.254.169.254", opened, "link-local"),
            (
                "https://localhost",
                {},
                "public address",
            ),  # the defaults alone; a name, so no category
            (
                f"http://127.0.0.1:{listener.port}",
                {},
                "http://",
            ),  # plain http is refused by default
        ]
        for url, env_extra, named in cases:
            result = _add(owner_url, str(tenant), url, env_extra)
            assert result.returncode == 1, (url, result.stdout, result.stderr)
            assert "Traceback" not in result.stderr
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            assert len(lines) == 1 and lines[0].startswith("shopbot: error:"), (url, result.stderr)
            assert "does not connect to this URL" in lines[0] and named in lines[0], (url, lines[0])
        assert listener.received == []
    async with committed_db.tenant_session(tenant) as session:
        assert await session.scalar(select(func.count()).select_from(StoreConnection)) == 0
