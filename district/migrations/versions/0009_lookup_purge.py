"""The public lookup's keys do not outlive the appliance's purge: ``dossiers.lookup_purged_at`` (the
keys were deleted: ``dossier.purged`` from the appliance, or ``motcua-hub purge`` after
``lookup_keep_days``) and an index on ``lookup_keys.code`` (the keys are deleted by dossier).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

from district.db.types import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("lookup_purged_at", UTCDateTime))
    op.create_index("ix_lookup_keys_code", "lookup_keys", ["code"])


def downgrade() -> None:
    op.drop_index("ix_lookup_keys_code", table_name="lookup_keys")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("lookup_purged_at")
