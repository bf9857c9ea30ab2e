-- A pager's history says what held the pager when each page went out (issue 12): the ticket the
-- citizen took with it, or the dossier whose result it calls. Read from the pager pool at the time
-- the page is written (appliance/store/device_journal.py).
ALTER TABLE pager_pages ADD COLUMN ticket_number TEXT;
ALTER TABLE pager_pages ADD COLUMN dossier_code TEXT;
