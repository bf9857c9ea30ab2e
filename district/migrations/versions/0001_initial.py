"""Initial hub schema: devices, event log, summary tables, reference data, staff.

Revision ID: 0001
Revises:
Create Date: 2026-01-05
"""
import sqlalchemy as sa
from alembic import op

from district.db.types import Json, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_meta",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_hub_meta"),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("commune_code", sa.String(64), nullable=False),
        sa.Column("commune_name", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64)),
        sa.Column("enrol_token_hash", sa.String(64)),
        sa.Column("enrol_expires_at", UTCDateTime),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("enrolled_at", UTCDateTime),
        sa.Column("revoked_at", UTCDateTime),
        sa.Column("acked_through", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("events_received", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("last_sync_at", UTCDateTime),
        sa.Column("last_sent_at", UTCDateTime),
        sa.Column("skew_s", sa.Float),
        sa.Column("backlog", sa.Integer),
        sa.Column("config", Json, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_devices"),
        sa.UniqueConstraint("token_hash", name="uq_devices_token_hash"),
        sa.UniqueConstraint("enrol_token_hash", name="uq_devices_enrol_token_hash"),
    )
    op.create_index("ix_devices_commune_code", "devices", ["commune_code"])
    op.create_table(
        "events",
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("payload", Json, nullable=False),
        sa.Column("wall_time", UTCDateTime, nullable=False),
        sa.Column("clock_synced", sa.Boolean, nullable=False),
        sa.Column("boot_id", sa.String(64), nullable=False),
        sa.Column("event_time", UTCDateTime, nullable=False),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_events_device_id_devices"),
        sa.PrimaryKeyConstraint("device_id", "seq", name="pk_events"),
    )
    op.create_index("ix_events_received_at", "events", ["received_at"])
    op.create_table(
        "device_boots",
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("boot_id", sa.String(64), nullable=False),
        sa.Column("skew_s", sa.Float, nullable=False),
        sa.Column("measured_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_device_boots_device_id_devices"),
        sa.PrimaryKeyConstraint("device_id", "boot_id", name="pk_device_boots"),
    )
    op.create_table(
        "tickets",
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("ticket_id", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("number", sa.String(16)),
        sa.Column("service", sa.String(32)),
        sa.Column("service_name", sa.String(200)),
        sa.Column("priority", sa.Boolean),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("counter_id", sa.Integer),
        sa.Column("issued_at", UTCDateTime),
        sa.Column("called_at", UTCDateTime),
        sa.Column("done_at", UTCDateTime),
        sa.Column("wait_s", sa.Float),
        sa.Column("service_s", sa.Float),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_tickets_device_id_devices"),
        sa.PrimaryKeyConstraint("device_id", "ticket_id", name="pk_tickets"),
    )
    op.create_index("ix_tickets_day_device_id", "tickets", ["day", "device_id"])
    op.create_table(
        "dossiers",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("procedure_code", sa.String(32)),
        sa.Column("procedure_name", sa.String(300)),
        sa.Column("field_code", sa.String(32)),
        sa.Column("channel", sa.String(32)),
        sa.Column("received_at", UTCDateTime),
        sa.Column("due_at", UTCDateTime),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("return_by_post", sa.Boolean),
        sa.Column("returned_at", UTCDateTime),
        sa.Column("outcome", sa.String(16)),
        sa.Column("returned_by_post", sa.Boolean),
        sa.Column("applicant_name", sa.String(200)),
        sa.Column("applicant_id_number", sa.String(32)),
        sa.Column("applicant_phone", sa.String(32)),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_dossiers_device_id_devices"),
        sa.PrimaryKeyConstraint("code", name="pk_dossiers"),
    )
    op.create_index("ix_dossiers_device_id", "dossiers", ["device_id"])
    op.create_index("ix_dossiers_received_at", "dossiers", ["received_at"])
    op.create_index("ix_dossiers_returned_at", "dossiers", ["returned_at"])
    op.create_table(
        "dossier_steps",
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(100)),
        sa.Column("note", sa.Text),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_dossier_steps_device_id_devices"),
        sa.PrimaryKeyConstraint("device_id", "seq", name="pk_dossier_steps"),
    )
    op.create_index("ix_dossier_steps_code", "dossier_steps", ["code"])
    op.create_table(
        "ratings",
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("level", sa.String(32), nullable=False),
        sa.Column("officer", sa.String(100)),
        sa.Column("counter_id", sa.Integer),
        sa.Column("ticket_id", sa.BigInteger),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_ratings_device_id_devices"),
        sa.PrimaryKeyConstraint("device_id", "seq", name="pk_ratings"),
    )
    op.create_index("ix_ratings_day_device_id", "ratings", ["day", "device_id"])
    op.create_table(
        "catalog_versions",
        sa.Column("version", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("etag", sa.String(64), nullable=False),
        sa.Column("content", Json, nullable=False),
        sa.Column("published_at", UTCDateTime, nullable=False),
        sa.Column("note", sa.String(200)),
        sa.PrimaryKeyConstraint("version", name="pk_catalog_versions"),
    )
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("id", name="pk_staff_users"),
        sa.UniqueConstraint("name", name="uq_staff_users_name"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("revoked_at", UTCDateTime),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )


def downgrade() -> None:
    for table in ("api_tokens", "staff_users", "catalog_versions", "ratings", "dossier_steps",
                  "dossiers", "tickets", "device_boots", "events", "devices", "hub_meta"):
        op.drop_table(table)
