-- Looking a dossier up without its code (issue 17): by the phone given at receipt (plus the last 4
-- digits of the personal number, compared in appliance.domain.lookup).
CREATE INDEX dossiers_applicant_phone ON dossiers (applicant_phone) WHERE purged_ts IS NULL;
