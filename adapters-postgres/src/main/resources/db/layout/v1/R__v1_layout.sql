-- The v1 layout (root_jobs / segment_tasks) as the root_job and segment_task the store reads and writes:
-- auto-updatable views, so INSERT ... ON CONFLICT, UPDATE ... FROM ... RETURNING and SELECT ... FOR UPDATE
-- SKIP LOCKED reach the deployed tables, whose names, columns and rows stay as they are.
--
-- Repeatable: Flyway applies it again whenever it changes. A later migration that adds a column to a
-- deployed table appends it to the view here (CREATE OR REPLACE VIEW can only append columns).
CREATE OR REPLACE VIEW root_job AS
SELECT job_id, manifestation_id, total_segments, completed_segments, status, created_at, updated_at,
       failed_segments, segrel_run, segrel_batched
FROM root_jobs;

CREATE OR REPLACE VIEW segment_task AS
SELECT task_id, job_id, segment_id, status, result_json, result_location, error_message, created_at, updated_at,
       span_start, span_end, attempts, lease_owner, lease_expires_at, lease_token, segrel_run
FROM segment_tasks;

INSERT INTO segrel_layout (layout) VALUES ('v1') ON CONFLICT (layout) DO NOTHING;
