-- A counter's English name (#18), shown on the English pages ("Counter 1 – Civil status"); empty:
-- the Vietnamese name is shown.
ALTER TABLE counters ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
