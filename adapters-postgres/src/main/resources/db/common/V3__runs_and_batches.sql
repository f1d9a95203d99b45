-- Runs and batches, in every layout: ${job_table} and ${task_table} are the layout's base tables.
--
-- The deployed producer re-submits a text by resetting its newest job (status QUEUED, completed_segments
-- 0, total_segments, updated_at) and keeping its job_id: that starts a new run, in which every batch is
-- computed and announced again. segrel numbers the runs, so that what a run did is told apart from what
-- an earlier one did.
ALTER TABLE ${job_table} ADD COLUMN IF NOT EXISTS segrel_run integer NOT NULL DEFAULT 0;
ALTER TABLE ${job_table} ADD COLUMN IF NOT EXISTS segrel_batched boolean NOT NULL DEFAULT false;
ALTER TABLE ${task_table} ADD COLUMN IF NOT EXISTS segrel_run integer NOT NULL DEFAULT 0;

-- A reset is a job going back to QUEUED with nothing completed from a state that had started or done
-- something; any other update (a claim, a completion, a no-op write) keeps the run. Status is compared
-- with literals: it may be an enum type (readme's jobstatus) or varchar.
CREATE FUNCTION segrel_job_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'QUEUED' AND NEW.completed_segments = 0
       AND (OLD.status IS DISTINCT FROM 'QUEUED' OR coalesce(OLD.completed_segments, 0) > 0
            OR coalesce(OLD.failed_segments, 0) > 0) THEN
        NEW.segrel_run := OLD.segrel_run + 1;
        NEW.failed_segments := 0;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER segrel_job_reset BEFORE UPDATE ON ${job_table}
    FOR EACH ROW EXECUTE FUNCTION segrel_job_reset();

-- One row per batch of a run: which segments it holds, how many are still to do, and when its completion
-- message went out.
CREATE TABLE segrel_batch (
    job_id                  uuid NOT NULL,
    run                     integer NOT NULL,
    batch_key               varchar NOT NULL,
    batch_number            integer,
    text_id                 text NOT NULL,
    segment_ids             text[] NOT NULL,
    total_segments          integer,
    source_environment      varchar,
    destination_environment varchar,
    remaining               integer NOT NULL,
    failed                  integer NOT NULL DEFAULT 0,
    created_at              timestamptz NOT NULL DEFAULT now(),
    announced_at            timestamptz,
    PRIMARY KEY (job_id, run, batch_key)
);

-- The layout segrel adopted this schema in: once recorded, it wins over what the tables look like.
CREATE TABLE segrel_layout (
    layout     varchar PRIMARY KEY,
    adopted_at timestamptz NOT NULL DEFAULT now()
);
