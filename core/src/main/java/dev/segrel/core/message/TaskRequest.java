package dev.segrel.core.message;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;

/**
 * One task asked for by a task message: compute the mappings of one segment of a job.
 *
 * @param jobId the job ({@code job_id}, or {@code root_job_id} in the batch format)
 * @param manifestationId the job's manifestation ({@code manifestation_id}, or {@code text_id})
 * @param segmentId the segment; never empty
 * @param span the segment's span as the message gives it, or {@code null} when the message gives
 *     none (the span stored with the task is then used)
 */
public record TaskRequest(JobId jobId, String manifestationId, String segmentId, Span span) {

    public TaskRequest {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(manifestationId, "manifestationId is null");
        requireNonNull(segmentId, "segmentId is null");
        if (manifestationId.isEmpty()) {
            throw new IllegalArgumentException("manifestationId is empty");
        }
        if (segmentId.isEmpty()) {
            throw new IllegalArgumentException("segmentId is empty");
        }
    }

    public TaskKey key() {
        return new TaskKey(jobId, segmentId);
    }
}
