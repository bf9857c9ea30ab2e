"""The public lookup without a code (#17): ``lookup_keys``, per dossier the hashed key of phone + last
4 digits of the personal number and the hashes of its QR links (never the numbers themselves).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lookup_keys",
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.ForeignKeyConstraint(["code"], ["dossiers.code"], name="fk_lookup_keys_code_dossiers"),
        sa.PrimaryKeyConstraint("key_hash", "code", name="pk_lookup_keys"),
    )


def downgrade() -> None:
    op.drop_table("lookup_keys")
