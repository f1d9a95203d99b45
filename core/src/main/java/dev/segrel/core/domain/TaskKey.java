package dev.segrel.core.domain;

import static java.util.Objects.requireNonNull;

/** Identifies a task the way messages do: by its job and its segment ({@code unique (job_id, segment_id)}). */
public record TaskKey(JobId jobId, String segmentId) {

    public TaskKey {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(segmentId, "segmentId is null");
    }

    @Override
    public String toString() {
        return jobId + "/" + segmentId;
    }
}
