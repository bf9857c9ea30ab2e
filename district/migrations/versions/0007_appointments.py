"""Appointments (#17): the slots appliances offer on the public page, and the bookings made there.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

from district.db.types import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appointment_slots",
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("slot_id", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("service", sa.String(32), nullable=False),
        sa.Column("service_name", sa.String(200), nullable=False),
        sa.Column("counter_id", sa.Integer),
        sa.Column("start_at", UTCDateTime, nullable=False),
        sa.Column("end_at", UTCDateTime, nullable=False),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("owner", sa.String(16), nullable=False),
        sa.Column("closes_at", UTCDateTime, nullable=False),
        sa.Column("released_at", UTCDateTime),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_appointment_slots_device_id_devices"),
        sa.PrimaryKeyConstraint("device_id", "slot_id", name="pk_appointment_slots"),
    )
    op.create_index("ix_appointment_slots_start_at", "appointment_slots", ["start_at"])
    op.create_table(
        "appointment_bookings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("slot_id", sa.BigInteger, nullable=False),
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("phone", sa.String(20)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("changed_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_appointment_bookings_device_id_devices"),
        sa.PrimaryKeyConstraint("id", name="pk_appointment_bookings"),
    )
    op.create_index("ix_appointment_bookings_device_id_code", "appointment_bookings", ["device_id", "code"],
                    unique=True)
    op.create_index("ix_appointment_bookings_device_id_slot_id", "appointment_bookings", ["device_id", "slot_id"])


def downgrade() -> None:
    op.drop_index("ix_appointment_bookings_device_id_slot_id", table_name="appointment_bookings")
    op.drop_index("ix_appointment_bookings_device_id_code", table_name="appointment_bookings")
    op.drop_table("appointment_bookings")
    op.drop_index("ix_appointment_slots_start_at", table_name="appointment_slots")
    op.drop_table("appointment_slots")
