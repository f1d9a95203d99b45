package dev.segrel.cli.job;

import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.port.in.ReadJobs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the job commands share: reading a job id, and a job's progress as JSON. */
public final class JobViews {

    private JobViews() {}

    /** A job id from the command line; a malformed one is a usage error. */
    public static JobId parseJobId(String text) {
        try {
            return JobId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
    }

    /** The job's progress, or exit 3 naming how to find jobs. */
    static ReadJobs.Progress progressOf(ReadJobs jobs, JobId id) {
        return jobs.progress(id).orElseThrow(() -> notFound(id));
    }

    public static CliException notFound(JobId id) {
        return new CliException(ExitCodes.NOT_FOUND, "job " + id + " not found (list jobs with 'segrel job list')");
    }

    /** {@code {"job_id",…,"rate_per_second","eta_seconds"}}: what {@code job status --json} prints. */
    static Map<String, Object> toJson(ReadJobs.Progress progress) {
        JobStatus s = progress.status();
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("job_id", s.jobId().toString());
        node.put("manifestation_id", s.manifestationId());
        node.put("status", s.state().name());
        node.put("total_segments", s.totalSegments());
        node.put("completed_segments", s.completedSegments());
        node.put("failed_segments", s.failedSegments());
        node.put("in_progress", s.inProgress());
        node.put("retrying", s.retrying());
        node.put("queued", s.queued());
        node.put("created_at", String.valueOf(s.createdAt()));
        node.put("updated_at", String.valueOf(s.updatedAt()));
        node.put("rate_per_second", Math.round(progress.ratePerSecond() * 100) / 100.0);
        node.put("eta_seconds", progress.eta().map(Duration::toSeconds).orElse(null));
        return node;
    }
}
