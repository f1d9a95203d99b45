-- The trace a completion message continues (W3C traceparent and tracestate of the span that stored the
-- change it announces), kept with its outbox row because the relay sends it later, from another thread
-- or process. Nullable: rows written without tracing, and every row written before, carry none. The
-- outbox is segrel's own table in every layout, so one migration serves all of them.
ALTER TABLE segrel_outbox ADD COLUMN IF NOT EXISTS trace_parent varchar;
ALTER TABLE segrel_outbox ADD COLUMN IF NOT EXISTS trace_state varchar;
