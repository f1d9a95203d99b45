-- Every message a worker refused (poison body, unknown task) or gave up on (task FAILED for good),
-- with its reason: none is silently dropped. The body is kept up to 64 KiB (truncated beyond, and said so).
CREATE TABLE IF NOT EXISTS segrel_rejected_message (
    id           bigserial PRIMARY KEY,
    message_id   varchar NOT NULL,
    reason       text NOT NULL,
    body         text NOT NULL,
    body_length  integer NOT NULL,
    rejected_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS segrel_rejected_message_at ON segrel_rejected_message (rejected_at);
