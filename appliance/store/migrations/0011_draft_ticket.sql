-- A draft started from the counter console ("Nhập hồ sơ cho số này") is bound to the ticket being
-- served: the console finds the draft (and, once submitted, the dossier) of its ticket, and the
-- submission takes the ticket (and its pager) from the draft.
ALTER TABLE dossier_drafts ADD COLUMN ticket_id INTEGER REFERENCES tickets(id);
CREATE INDEX dossier_drafts_ticket ON dossier_drafts (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX dossiers_ticket ON dossiers (ticket_id) WHERE ticket_id IS NOT NULL;
