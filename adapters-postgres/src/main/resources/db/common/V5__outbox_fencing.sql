-- Fencing of the outbox relay's lease: every take of a row gives it a new token, and a relay records a
-- send or a failure only while the row still carries the token it took it with (and its name), so a
-- relay whose lease ran out while another took the row cannot overwrite that one's state. A row's
-- next try is its available_at, which a failure sets by the relay's backoff; its attempts tell when it
-- is stuck. Adding a column with a constant default rewrites nothing (PostgreSQL 11+).
ALTER TABLE segrel_outbox ADD COLUMN IF NOT EXISTS lease_token bigint NOT NULL DEFAULT 0;
