-- Indexes that keep every queue path O(log n) in history (issue 15): a satisfaction press finds
-- the counter's last finished ticket, and the queue snapshot its recent calls, by index seeks
-- instead of reading every finished ticket inside the write transaction.
CREATE INDEX tickets_counter_done ON tickets (counter_id, finished_ts) WHERE state = 'done';
CREATE INDEX tickets_called_day ON tickets (day, called_ts) WHERE called_ts IS NOT NULL;
