"""Products keep their weight and dimensions.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

WooCommerce sends `weight` (a string in the store's weight unit) and `dimensions`
(`length`, `width`, `height`, strings in its dimension unit) with every product. Shoppers
ask "how much does it weigh?" and "will it fit?": the answer is read from these columns,
like the price, and rendered into the product's text so that such questions retrieve it.
Rows written before keep NULL/{} until their next sync writes them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("products", sa.Column("weight", sa.String(32), nullable=True))
    op.add_column(
        "products",
        sa.Column("dimensions", JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("products", "dimensions")
    op.drop_column("products", "weight")
