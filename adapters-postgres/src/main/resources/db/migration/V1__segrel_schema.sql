-- segrel's schema. Works on an empty schema and on the tables the existing (Python) service
-- created: same table and column names, its enum types (SQLAlchemy Enum makes jobstatus and
-- taskstatus) or varchar status columns kept as they are, segrel's columns added as nullable or
-- with defaults so that the existing producers' inserts keep working.

DO $$
BEGIN
    IF to_regclass('root_job') IS NULL AND to_regtype('jobstatus') IS NULL THEN
        CREATE TYPE jobstatus AS ENUM ('QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED');
    END IF;
    IF to_regclass('segment_task') IS NULL AND to_regtype('taskstatus') IS NULL THEN
        CREATE TYPE taskstatus AS ENUM ('QUEUED', 'IN_PROGRESS', 'COMPLETED', 'RETRYING', 'FAILED');
    END IF;
END $$;

CREATE TABLE IF NOT EXISTS root_job (
    job_id             uuid PRIMARY KEY,
    manifestation_id   varchar NOT NULL,
    total_segments     integer NOT NULL,
    completed_segments integer NOT NULL DEFAULT 0,
    status             jobstatus NOT NULL DEFAULT 'QUEUED',
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE root_job ADD COLUMN IF NOT EXISTS failed_segments integer NOT NULL DEFAULT 0;
ALTER TABLE root_job ALTER COLUMN completed_segments SET DEFAULT 0;
ALTER TABLE root_job ALTER COLUMN status SET DEFAULT 'QUEUED';
ALTER TABLE root_job ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE root_job ALTER COLUMN updated_at SET DEFAULT now();

CREATE TABLE IF NOT EXISTS segment_task (
    task_id         uuid PRIMARY KEY,
    job_id          uuid NOT NULL REFERENCES root_job (job_id) ON DELETE CASCADE,
    segment_id      varchar NOT NULL,
    status          taskstatus NOT NULL DEFAULT 'QUEUED',
    result_json     jsonb,
    result_location varchar,
    error_message   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE segment_task ADD COLUMN IF NOT EXISTS span_start integer;
ALTER TABLE segment_task ADD COLUMN IF NOT EXISTS span_end integer;
ALTER TABLE segment_task ADD COLUMN IF NOT EXISTS attempts integer NOT NULL DEFAULT 0;
ALTER TABLE segment_task ADD COLUMN IF NOT EXISTS lease_owner varchar;
ALTER TABLE segment_task ADD COLUMN IF NOT EXISTS lease_expires_at timestamptz;
-- Incremented by every claim: a write carrying an older token comes from a worker whose lease
-- was taken over, and is refused (fencing).
ALTER TABLE segment_task ADD COLUMN IF NOT EXISTS lease_token bigint NOT NULL DEFAULT 0;
ALTER TABLE segment_task ADD CONSTRAINT segment_task_span_valid
    CHECK ((span_start IS NULL AND span_end IS NULL) OR (span_start >= 0 AND span_start < span_end));
ALTER TABLE segment_task ALTER COLUMN task_id SET DEFAULT gen_random_uuid();
ALTER TABLE segment_task ALTER COLUMN status SET DEFAULT 'QUEUED';
ALTER TABLE segment_task ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE segment_task ALTER COLUMN updated_at SET DEFAULT now();

-- Claims and completions find a task by (job_id, segment_id); job status and results by job_id.
-- The existing service may have this unique index already, under another name.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1
        FROM pg_index i
        WHERE i.indrelid = 'segment_task'::regclass
          AND i.indisunique
          AND i.indpred IS NULL
          AND i.indexprs IS NULL
          AND i.indkey::text =
              (SELECT attnum FROM pg_attribute WHERE attrelid = 'segment_task'::regclass AND attname = 'job_id')::text
              || ' '
              || (SELECT attnum FROM pg_attribute WHERE attrelid = 'segment_task'::regclass AND attname = 'segment_id')::text
    ) THEN
        CREATE UNIQUE INDEX segment_task_job_segment_key ON segment_task (job_id, segment_id);
    END IF;
END $$;

-- Rows of the existing service: null counters become 0, the counters are recomputed from the
-- tasks (the old claim could count a task twice), and tasks left IN_PROGRESS by a worker that had
-- no lease get an expired one so that they are claimable and reclaimed.
UPDATE root_job SET completed_segments = 0 WHERE completed_segments IS NULL;
UPDATE root_job j
SET completed_segments = c.completed,
    failed_segments = c.failed
FROM (
    SELECT job_id,
           count(*) FILTER (WHERE status = 'COMPLETED') AS completed,
           count(*) FILTER (WHERE status = 'FAILED') AS failed
    FROM segment_task
    GROUP BY job_id
) c
WHERE c.job_id = j.job_id
  AND (j.completed_segments IS DISTINCT FROM c.completed OR j.failed_segments IS DISTINCT FROM c.failed);
UPDATE segment_task SET lease_expires_at = updated_at
WHERE status = 'IN_PROGRESS' AND lease_expires_at IS NULL;

-- Sweeper queries: expired leases, and waiting tasks nobody touched for a while.
CREATE INDEX IF NOT EXISTS segment_task_lease_expiry ON segment_task (lease_expires_at)
    WHERE status = 'IN_PROGRESS';
CREATE INDEX IF NOT EXISTS segment_task_waiting ON segment_task (updated_at)
    WHERE status IN ('QUEUED', 'RETRYING');

-- Messages written with the state change they announce, delivered by the outbox relay.
CREATE TABLE IF NOT EXISTS segrel_outbox (
    id           bigserial PRIMARY KEY,
    message_id   varchar NOT NULL UNIQUE,
    destination  varchar NOT NULL,
    body         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    available_at timestamptz NOT NULL DEFAULT now(),
    lease_owner  varchar,
    attempts     integer NOT NULL DEFAULT 0,
    last_error   text,
    sent_at      timestamptz
);

CREATE INDEX IF NOT EXISTS segrel_outbox_pending ON segrel_outbox (available_at, id)
    WHERE sent_at IS NULL;
