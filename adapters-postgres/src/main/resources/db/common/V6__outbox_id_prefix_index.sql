-- A job's or batch's later announcements extend its first one's id (':a2', ':a3' ...). Numbering a new
-- one, dropping unsent ones on a reprocess and counting stuck ones look ids up by prefix, as a range of
-- this byte-ordered (C collation) index; the unique index, in the database's collation, cannot serve a
-- prefix computed per row. The outbox is segrel's own table and holds a row per announcement, so the
-- build is short.
CREATE INDEX IF NOT EXISTS segrel_outbox_message_id_bytes ON segrel_outbox (message_id COLLATE "C");
