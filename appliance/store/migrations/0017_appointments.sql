-- Appointments (issue 17, docs/appointments.md): slots per service (and optionally one counter) with a
-- capacity, each owned by one side at a time ('office': booked here; 'hub': booked on the hub's public
-- page until the hub hands it back), and the bookings. A booking's phone is personal data: NULL once
-- the appointment is over and [privacy].purge_after_days have passed (services/purge.py).
CREATE TABLE appointment_slots (
    id           INTEGER PRIMARY KEY,
    service_id   INTEGER NOT NULL REFERENCES services(id),
    counter_id   INTEGER REFERENCES counters(id),
    start_ts     REAL NOT NULL,
    end_ts       REAL NOT NULL CHECK (end_ts > start_ts),
    capacity     INTEGER NOT NULL CHECK (capacity >= 1),
    owner        TEXT NOT NULL DEFAULT 'office' CHECK (owner IN ('office', 'hub')),
    released_ts  REAL,                      -- when the hub handed it back (owner became 'office')
    created_ts   REAL NOT NULL
);
-- one slot per service, counter (or any counter) and start
CREATE UNIQUE INDEX appointment_slots_unique ON appointment_slots (service_id, coalesce(counter_id, 0), start_ts);
CREATE INDEX appointment_slots_start ON appointment_slots (start_ts);

CREATE TABLE appointments (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,     -- 6 digits: 1–4… booked here, 5–9… on the hub
    slot_id       INTEGER NOT NULL REFERENCES appointment_slots(id),
    phone         TEXT,
    channel       TEXT NOT NULL CHECK (channel IN ('phone', 'kiosk', 'hub', 'counter')),
    state         TEXT NOT NULL DEFAULT 'booked'
                  CHECK (state IN ('booked', 'checked_in', 'late', 'no_show', 'cancelled')),
    note          TEXT,
    hub_id        INTEGER UNIQUE,           -- the hub's booking id (channel 'hub')
    ticket_id     INTEGER REFERENCES tickets(id),
    booked_ts     REAL NOT NULL,
    checked_in_ts REAL,
    closed_ts     REAL,                     -- cancelled or counted a no-show
    user_login    TEXT,
    purged_ts     REAL
);
CREATE INDEX appointments_slot ON appointments (slot_id);
CREATE INDEX appointments_phone ON appointments (phone) WHERE state = 'booked';

-- A ticket checked in for an appointment: called from its booked time (appliance.domain.queue).
ALTER TABLE tickets ADD COLUMN appointment_id INTEGER;
ALTER TABLE tickets ADD COLUMN appointment_ts REAL;
CREATE INDEX tickets_waiting_appointments ON tickets (day, appointment_ts) WHERE state = 'waiting'
    AND appointment_ts IS NOT NULL;
-- The counter's run of appointment calls while walk-ins waited (the fairness rule).
ALTER TABLE counters ADD COLUMN appointment_run INTEGER NOT NULL DEFAULT 0;
