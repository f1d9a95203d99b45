-- The current layout (root_jobs with text_id / segment_mapping) as the root_job and segment_task the store
-- reads and writes: auto-updatable views that rename text_id to manifestation_id and root_job_id to
-- job_id, so INSERT ... ON CONFLICT, UPDATE ... FROM ... RETURNING and SELECT ... FOR UPDATE SKIP LOCKED
-- reach the deployed tables, whose names, columns and rows stay as they are. segment_mapping has no
-- result_location: nothing of the store reads or writes it, so the view has none.
--
-- Repeatable: Flyway applies it again whenever it changes. A later migration that adds a column to a
-- deployed table appends it to the view here (CREATE OR REPLACE VIEW can only append columns).
CREATE OR REPLACE VIEW root_job AS
SELECT job_id, text_id AS manifestation_id, total_segments, completed_segments, status, created_at, updated_at,
       failed_segments, segrel_run, segrel_batched
FROM root_jobs;

CREATE OR REPLACE VIEW segment_task AS
SELECT task_id, root_job_id AS job_id, segment_id, status, result_json, error_message, created_at, updated_at,
       text_id, span_start, span_end, attempts, lease_owner, lease_expires_at, lease_token, segrel_run
FROM segment_mapping;

-- The downstream consumer selects a text's rows by segment_mapping.text_id. The deployed worker sets it;
-- a row written through segment_task without it gets its job's.
CREATE OR REPLACE FUNCTION segrel_fill_text_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.text_id IS NULL THEN
        SELECT j.text_id INTO NEW.text_id FROM root_jobs j WHERE j.job_id = NEW.root_job_id;
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS segrel_fill_text_id ON segment_mapping;
CREATE TRIGGER segrel_fill_text_id BEFORE INSERT ON segment_mapping
    FOR EACH ROW EXECUTE FUNCTION segrel_fill_text_id();

INSERT INTO segrel_layout (layout) VALUES ('current') ON CONFLICT (layout) DO NOTHING;
