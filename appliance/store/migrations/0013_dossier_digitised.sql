-- Whether the dossier's papers were digitised (scanned into the system) at receipt: one of the
-- components a province tracks under QĐ 766 (số hóa hồ sơ), sent to the hub with dossier.received.
ALTER TABLE dossiers ADD COLUMN digitised INTEGER NOT NULL DEFAULT 0;
