"""What the province's reports need beyond the counts (#14): when the result was ready, the dossier's fees and documents
(DanhSachLePhi, TaiLieuNop), assisted online filing, digitisation, VNeID and IT familiarity, the
receiving officer and counter; the officer who finished a ticket; the officers' full names; and
``ticket_days``, the per-day queue summary a province report reads instead of the tickets.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

from district.db.types import Json, UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

DOSSIER_COLUMNS = (
    ("ready_at", UTCDateTime), ("portal_code", sa.String(64)), ("fee", sa.BigInteger), ("fees", Json), ("documents", Json),
    ("digitised", sa.Boolean), ("it_familiarity", sa.String(32)), ("vneid_created", sa.Boolean),
    ("received_by", sa.String(100)), ("counter_id", sa.Integer),
)
DAY_COUNTS = ("issued", "priority", "served", "no_show", "waiting", "wait_n")


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        for name, kind in DOSSIER_COLUMNS:
            batch.add_column(sa.Column(name, kind))
    op.create_index("ix_dossiers_device_id_received_at", "dossiers", ["device_id", "received_at"])
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("officer", sa.String(100)))
    op.create_table(
        "ticket_days",
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("service", sa.String(32), nullable=False),
        *(sa.Column(name, sa.Integer, nullable=False) for name in DAY_COUNTS),
        sa.Column("wait_sum_s", sa.Float, nullable=False),
        sa.Column("wait_15", sa.Integer, nullable=False),
        sa.Column("service_n", sa.Integer, nullable=False),
        sa.Column("service_sum_s", sa.Float, nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_ticket_days_device_id_devices"),
        sa.PrimaryKeyConstraint("device_id", "day", "service", name="pk_ticket_days"),
    )
    op.create_index("ix_ticket_days_day", "ticket_days", ["day"])
    op.create_table(
        "officers",
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("login", sa.String(100), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("seen_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_officers_device_id_devices"),
        sa.PrimaryKeyConstraint("device_id", "login", name="pk_officers"),
    )


def downgrade() -> None:
    op.drop_table("officers")
    op.drop_index("ix_ticket_days_day", table_name="ticket_days")
    op.drop_table("ticket_days")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("officer")
    op.drop_index("ix_dossiers_device_id_received_at", table_name="dossiers")
    with op.batch_alter_table("dossiers") as batch:
        for name, _kind in reversed(DOSSIER_COLUMNS):
            batch.drop_column(name)
