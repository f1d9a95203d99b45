-- The readme layout: root_job and segment_task are the tables themselves, so there is nothing to map;
-- only the record that segrel adopted this schema in it.
INSERT INTO segrel_layout (layout) VALUES ('readme') ON CONFLICT (layout) DO NOTHING;
