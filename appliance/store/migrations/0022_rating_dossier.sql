-- A rating given on the citizen's screen (#18) names the dossier it was given for (the service's
-- ticket's dossier, or the dossier whose result was handed over); one per ticket or dossier from
-- the screen, looked up by these indexes.
ALTER TABLE ratings ADD COLUMN dossier_code TEXT;
CREATE INDEX ratings_ticket ON ratings (ticket_id);
CREATE INDEX ratings_dossier ON ratings (dossier_code) WHERE dossier_code IS NOT NULL;
