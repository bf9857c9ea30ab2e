-- Reports (issue 14): a one-year report of a busy commune (150,000 tickets, 60,000 dossiers) in
-- under a second. Each report query reads one covering index in its time order instead of the
-- tables (whose rows carry personal data and the declaration), and tickets count their transfers.
ALTER TABLE tickets ADD COLUMN transfers INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tickets_report ON tickets (issued_ts, service_id, counter_id, user_login, state, priority,
                                        transfers, called_ts, serving_ts, finished_ts);
CREATE INDEX ratings_report ON ratings (ts, level, user_login);
CREATE INDEX dossiers_report ON dossiers (received_ts, field_code, channel, state, due_ts, new_due_ts, ready_ts,
                                          closed_ts, outcome, target_met, portal_code, vneid_created,
                                          it_familiarity, return_by_post, returned_by_post);
