"""Tables of the hub. Alembic migrations in ``district/migrations`` create exactly these
(``tests/district/test_migrations.py`` compares them).

``events`` is the immutable log pushed by the appliances, keyed by ``(device_id, seq)``. The other
device-owned tables (``tickets``, ``dossiers``, ``dossier_steps``, ``ratings``) are summary tables
maintained from the events *in the same transaction* that stores them; the dashboard and the
reports read only those. Hub-owned reference data (catalog, device config) is versioned.
"""
from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)

from district.db.types import Json, UTCDateTime

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

meta = Table(
    "hub_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

devices = Table(
    "devices", metadata,
    Column("id", String(64), primary_key=True),             # device code, e.g. xa-duong-xa
    Column("commune_code", String(64), nullable=False, index=True),
    Column("commune_name", String(200), nullable=False),
    Column("token_hash", String(64), unique=True),
    Column("enrol_token_hash", String(64), unique=True),
    Column("enrol_expires_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("enrolled_at", UTCDateTime),
    Column("revoked_at", UTCDateTime),
    Column("acked_through", BigInteger, nullable=False, server_default="0"),
    Column("events_received", BigInteger, nullable=False, server_default="0"),
    Column("last_sync_at", UTCDateTime),
    Column("last_sent_at", UTCDateTime),
    Column("skew_s", Float),
    Column("backlog", Integer),
    Column("config", Json, nullable=False),
)

events = Table(
    "events", metadata,
    Column("device_id", String(64), ForeignKey("devices.id"), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", String(36), nullable=False),
    Column("type", String(64), nullable=False),
    Column("payload", Json, nullable=False),
    Column("wall_time", UTCDateTime, nullable=False),
    Column("clock_synced", Boolean, nullable=False),
    Column("boot_id", String(64), nullable=False),
    Column("event_time", UTCDateTime, nullable=False),     # wall_time corrected for clock skew
    Column("received_at", UTCDateTime, nullable=False),
    Index(None, "received_at"),
)

boots = Table(
    "device_boots", metadata,
    Column("device_id", String(64), ForeignKey("devices.id"), primary_key=True),
    Column("boot_id", String(64), primary_key=True),
    Column("skew_s", Float, nullable=False),
    Column("measured_at", UTCDateTime, nullable=False),
)

tickets = Table(
    "tickets", metadata,
    Column("device_id", String(64), ForeignKey("devices.id"), primary_key=True),
    Column("ticket_id", BigInteger, primary_key=True, autoincrement=False),
    Column("day", Date, nullable=False),
    Column("number", String(16)),
    Column("service", String(32)),
    Column("service_name", String(200)),
    Column("priority", Boolean),
    Column("state", String(32), nullable=False),
    Column("counter_id", Integer),
    Column("issued_at", UTCDateTime),
    Column("called_at", UTCDateTime),
    Column("done_at", UTCDateTime),
    Column("wait_s", Float),
    Column("service_s", Float),
    Column("officer", String(100)),                # login of the officer who finished it
    Column("last_seq", BigInteger, nullable=False),
    Index(None, "day", "device_id"),
)

# One row per device, office day and service, recomputed from ``tickets`` for the days a batch
# touched (district/store/ingest.py): the queue figures of a province report read these, not the
# tickets (300 communes × a year = tens of millions of tickets, about 100,000 of these rows).
ticket_days = Table(
    "ticket_days", metadata,
    Column("device_id", String(64), ForeignKey("devices.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("service", String(32), primary_key=True),      # '' when the ticket had none
    Column("issued", Integer, nullable=False),
    Column("priority", Integer, nullable=False),
    Column("served", Integer, nullable=False),
    Column("no_show", Integer, nullable=False),
    Column("waiting", Integer, nullable=False),            # not finished (waiting, called, serving)
    Column("wait_n", Integer, nullable=False),             # served tickets with a wait time
    Column("wait_sum_s", Float, nullable=False),
    Column("wait_15", Integer, nullable=False),            # served after waiting at most 15 minutes
    Column("service_n", Integer, nullable=False),
    Column("service_sum_s", Float, nullable=False),
    Index(None, "day"),
)

# The officers' full names as their appliance last sent them (``officer_name`` beside a login in
# ticket.done, rating.given, dossier.received): reports show names, not logins.
officers = Table(
    "officers", metadata,
    Column("device_id", String(64), ForeignKey("devices.id"), primary_key=True),
    Column("login", String(100), primary_key=True),
    Column("full_name", String(200), nullable=False),
    Column("seen_at", UTCDateTime, nullable=False),
)

dossiers = Table(
    "dossiers", metadata,
    Column("code", String(64), primary_key=True),
    Column("device_id", String(64), ForeignKey("devices.id"), nullable=False, index=True),
    Column("procedure_code", String(32)),
    Column("procedure_name", String(300)),
    Column("field_code", String(32)),
    Column("channel", String(32)),
    Column("received_at", UTCDateTime),
    Column("due_at", UTCDateTime),                 # the legal due time (Mẫu 01, outcome, reports)
    Column("target_due_at", UTCDateTime),          # the model day's 2-hour target (a service goal)
    Column("extended_due_at", UTCDateTime),        # Mẫu 04: the new due time of an extension
    Column("target_met", Boolean),
    Column("closed_at", UTCDateTime),              # refused, stopped, withdrawn (returned: returned_at)
    Column("province_code", String(64)),           # the code issued by the province's one-stop system
    Column("state", String(32), nullable=False),
    Column("return_by_post", Boolean),
    Column("returned_at", UTCDateTime),
    Column("outcome", String(16)),
    Column("returned_by_post", Boolean),
    Column("applicant_name", String(200)),
    Column("applicant_id_number", String(32)),
    Column("applicant_phone", String(32)),
    # what QĐ 766 and the provincial export ask beyond the counts (sent since 2026-12; NULL before)
    Column("ready_at", UTCDateTime),               # the result was ready (II.06a counts it resolved then)
    Column("portal_code", String(64)),             # assisted online filing: the portal's dossier code
    Column("fee", BigInteger),                     # đồng, after exemptions
    Column("fees", Json),                          # DanhSachLePhi: [{"name", "amount", "exempt_reason"}]
    Column("documents", Json),                     # TaiLieuNop: [{"name", "mode", "required"}]
    Column("digitised", Boolean),                  # the papers were scanned into the system at receipt
    Column("it_familiarity", String(32)),          # thanh_thao | co_ban | chua_biet
    Column("vneid_created", Boolean),              # a VNeID account was created for the citizen
    Column("received_by", String(100)),            # the receiving officer's login
    Column("counter_id", Integer),
    # the public lookup's keys of this dossier were deleted (``dossier.purged`` from its appliance, or
    # the hub's own retention, ``motcua-hub purge``): keys sent for it later are not stored again
    Column("lookup_purged_at", UTCDateTime),
    Column("last_seq", BigInteger, nullable=False),
    Index(None, "received_at"),
    Index(None, "returned_at"),
    Index(None, "device_id", "received_at"),
    # the province's reports (alembic 0008): every column they classify on, beside the time of receipt
    Index("ix_dossiers_report", "received_at",
          postgresql_include=["device_id", "field_code", "channel", "state", "due_at", "ready_at", "returned_at",
                              "closed_at", "outcome", "digitised"]),
)

# The public lookup without a code (#17): per dossier, the key of phone + last 4 digits of the personal
# number and the hashes of its QR links, as the appliance computed them (appliance.domain.lookup), keyed
# again with the hub's own secret (hub_meta "lookup_key"). Never a phone or a number. Deleted when the
# appliance purges the dossier (``dossier.purged``) or ``lookup_keep_days`` after it closed (alembic 0009).
lookup_keys = Table(
    "lookup_keys", metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("code", String(64), ForeignKey("dossiers.code"), primary_key=True),
    Column("kind", String(8), nullable=False),          # "phone" or "link"
    Index(None, "code"),                                # deleted by dossier (the key is the PK's first column)
)

dossier_steps = Table(
    "dossier_steps", metadata,
    Column("device_id", String(64), ForeignKey("devices.id"), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("code", String(64), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("kind", String(32), nullable=False),   # received | state | ready | returned
    Column("state", String(32), nullable=False),
    Column("actor", String(100)),
    Column("note", Text),
)

ratings = Table(
    "ratings", metadata,
    Column("device_id", String(64), ForeignKey("devices.id"), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("day", Date, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("level", String(32), nullable=False),
    Column("officer", String(100)),
    Column("counter_id", Integer),
    Column("ticket_id", BigInteger),
    Index(None, "day", "device_id"),
    Index("ix_ratings_report", "day", postgresql_include=["device_id", "level", "officer"]),
)

catalog_versions = Table(
    "catalog_versions", metadata,
    Column("version", Integer, primary_key=True, autoincrement=True),
    Column("etag", String(64), nullable=False),
    Column("content", Json, nullable=False),
    Column("published_at", UTCDateTime, nullable=False),
    Column("note", String(200)),
)

staff_users = Table(
    "staff_users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", String(256), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("disabled", Boolean, nullable=False, server_default=false()),
)

staff_sessions = Table(
    "staff_sessions", metadata,
    Column("id_hash", String(64), primary_key=True),       # SHA-256 of the id in the signed cookie
    Column("staff_name", String(64), ForeignKey("staff_users.name", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
)

login_failures = Table(
    "login_failures", metadata,
    Column("key", String(200), primary_key=True),   # "pair|name|address", "account|name", "address|address"
    Column("failures", Integer, nullable=False),
    Column("last_at", UTCDateTime, nullable=False),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)

# Appointments (docs/appointments.md). A slot an appliance offers on the public page (its
# ``appointment.slot`` event); the hub books it until ``closes_at``, then hands it back (``owner``
# becomes 'office', the appliance hears it at its next sync). One owner at a time: never merged.
appointment_slots = Table(
    "appointment_slots", metadata,
    Column("device_id", String(64), ForeignKey("devices.id"), primary_key=True),
    Column("slot_id", BigInteger, primary_key=True, autoincrement=False),   # the appliance's id
    Column("service", String(32), nullable=False),
    Column("service_name", String(200), nullable=False),
    Column("counter_id", Integer),
    Column("start_at", UTCDateTime, nullable=False),
    Column("end_at", UTCDateTime, nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("owner", String(16), nullable=False),          # hub, office (handed back)
    Column("closes_at", UTCDateTime, nullable=False),
    Column("released_at", UTCDateTime),
    Index(None, "start_at"),
)

# A booking made on the public page (``phone``: personal data, NULL once the appliance reports the
# citizen came or did not). Bookings made at the office are only events here.
appointment_bookings = Table(
    "appointment_bookings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("device_id", String(64), ForeignKey("devices.id"), nullable=False),
    Column("slot_id", BigInteger, nullable=False),
    Column("code", String(8), nullable=False),
    Column("phone", String(20)),
    Column("state", String(16), nullable=False),          # booked, cancelled, checked_in, late, no_show
    Column("created_at", UTCDateTime, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Index(None, "device_id", "code", unique=True),
    Index(None, "device_id", "slot_id"),
)
