-- segrel's columns, keys and indexes on a deployed service's own tables (the v1 and current layouts):
-- what V1__segrel_schema gives the readme layout. ${job_table} and ${task_table} are the deployed tables,
-- ${task_job_id} the task table's column that names its job. Nothing deployed is renamed, dropped or
-- retyped, and every column added is nullable or defaulted, so the deployed producer's INSERTs and the
-- consumer's SELECTs keep working. The layout's repeatable migration (R__<layout>_layout.sql) then shows
-- these tables as the root_job and segment_task views the store reads and writes.

-- The store finds a task by (job, segment), and batches upsert on it: it must be unique. v1's migrations
-- never made it so, and its worker's claim did not stop two rows for one segment: rather than guess which
-- row to keep, refuse (the whole run rolls back) and say how to find them.
DO $$
DECLARE
    pairs bigint;
    extra bigint;
BEGIN
    IF NOT EXISTS (
        SELECT 1
        FROM pg_index i
        WHERE i.indrelid = '${task_table}'::regclass
          AND i.indisunique
          AND i.indpred IS NULL
          AND i.indexprs IS NULL
          AND i.indkey::text =
              (SELECT attnum FROM pg_attribute WHERE attrelid = '${task_table}'::regclass AND attname = '${task_job_id}')::text
              || ' '
              || (SELECT attnum FROM pg_attribute WHERE attrelid = '${task_table}'::regclass AND attname = 'segment_id')::text
    ) THEN
        SELECT count(*), coalesce(sum(n - 1), 0) INTO pairs, extra
        FROM (SELECT count(*) AS n FROM ${task_table} GROUP BY ${task_job_id}, segment_id HAVING count(*) > 1) d;
        IF pairs > 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'SG001', MESSAGE = format(
                '${task_table} has %s (${task_job_id}, segment_id) pair(s) with more than one row (%s row(s) too many);'
                || ' list them with: SELECT ${task_job_id}, segment_id, count(*) FROM ${task_table}'
                || ' GROUP BY ${task_job_id}, segment_id HAVING count(*) > 1; keep one row of each pair, then run'
                || ' segrel migrate again (nothing was changed)', pairs, extra);
        END IF;
        CREATE UNIQUE INDEX ${task_table}_job_segment_key ON ${task_table} (${task_job_id}, segment_id);
    END IF;
END $$;

ALTER TABLE ${job_table} ADD COLUMN IF NOT EXISTS failed_segments integer NOT NULL DEFAULT 0;

ALTER TABLE ${task_table} ADD COLUMN IF NOT EXISTS span_start integer;
ALTER TABLE ${task_table} ADD COLUMN IF NOT EXISTS span_end integer;
ALTER TABLE ${task_table} ADD COLUMN IF NOT EXISTS attempts integer NOT NULL DEFAULT 0;
ALTER TABLE ${task_table} ADD COLUMN IF NOT EXISTS lease_owner varchar;
ALTER TABLE ${task_table} ADD COLUMN IF NOT EXISTS lease_expires_at timestamptz;
-- Incremented by every claim: a write carrying an older token comes from a worker whose lease was taken
-- over, and is refused (fencing).
ALTER TABLE ${task_table} ADD COLUMN IF NOT EXISTS lease_token bigint NOT NULL DEFAULT 0;
ALTER TABLE ${task_table} ADD CONSTRAINT ${task_table}_span_valid
    CHECK ((span_start IS NULL AND span_end IS NULL) OR (span_start >= 0 AND span_start < span_end));

-- Defaults for what the store leaves out, only where the deployed table has none of its own (its own are
-- kept). Timestamps without time zone hold UTC, as the deployed service writes them, whatever the
-- inserting session's zone.
DO $$
DECLARE
    d record;
BEGIN
    FOR d IN
        SELECT v.tab, v.col, v.expr, format_type(a.atttypid, NULL) AS type
        FROM (VALUES ('${job_table}', 'completed_segments', '0'),
                     ('${job_table}', 'status', '''QUEUED'''),
                     ('${job_table}', 'created_at', NULL),
                     ('${job_table}', 'updated_at', NULL),
                     ('${task_table}', 'task_id', 'gen_random_uuid()'),
                     ('${task_table}', 'status', '''QUEUED'''),
                     ('${task_table}', 'created_at', NULL),
                     ('${task_table}', 'updated_at', NULL)) AS v(tab, col, expr)
        JOIN pg_attribute a ON a.attrelid = v.tab::regclass AND a.attname = v.col AND NOT a.attisdropped
        WHERE NOT a.atthasdef
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET DEFAULT %s', d.tab, d.col,
            coalesce(d.expr, CASE WHEN d.type = 'timestamp with time zone' THEN 'now()'
                                  ELSE '(now() AT TIME ZONE ''utc'')' END));
    END LOOP;
END $$;

-- The deployed rows: null counters become 0, the counters are recomputed from the tasks (the deployed
-- workers counted wrong: v1's claim could count a task twice, current's adds a job's total per batch), and
-- tasks left IN_PROGRESS by a worker that had no lease get an expired one, so that they are claimable and
-- reclaimed.
UPDATE ${job_table} SET completed_segments = 0 WHERE completed_segments IS NULL;
UPDATE ${job_table} j
SET completed_segments = c.completed,
    failed_segments = c.failed
FROM (
    SELECT ${task_job_id} AS job_id,
           count(*) FILTER (WHERE status = 'COMPLETED') AS completed,
           count(*) FILTER (WHERE status = 'FAILED') AS failed
    FROM ${task_table}
    GROUP BY ${task_job_id}
) c
WHERE c.job_id = j.job_id
  AND (j.completed_segments IS DISTINCT FROM c.completed OR j.failed_segments IS DISTINCT FROM c.failed);
UPDATE ${task_table} SET lease_expires_at = updated_at
WHERE status = 'IN_PROGRESS' AND lease_expires_at IS NULL;

-- Sweeper queries: expired leases, and waiting tasks nobody touched for a while.
CREATE INDEX IF NOT EXISTS ${task_table}_lease_expiry ON ${task_table} (lease_expires_at)
    WHERE status = 'IN_PROGRESS';
CREATE INDEX IF NOT EXISTS ${task_table}_waiting ON ${task_table} (updated_at)
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
