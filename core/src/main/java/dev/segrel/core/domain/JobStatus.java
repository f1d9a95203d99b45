package dev.segrel.core.domain;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** Counts of a job's tasks by state, with its totals. */
public record JobStatus(
        JobId jobId,
        String manifestationId,
        JobState state,
        int totalSegments,
        int completedSegments,
        int failedSegments,
        int queued,
        int inProgress,
        int retrying,
        Instant createdAt,
        Instant updatedAt) {

    public JobStatus {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(manifestationId, "manifestationId is null");
        requireNonNull(state, "state is null");
    }

    /** Tasks terminal so far: completed or failed. */
    public int done() {
        return completedSegments + failedSegments;
    }
}
