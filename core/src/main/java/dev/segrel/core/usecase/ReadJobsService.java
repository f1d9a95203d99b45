package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.port.in.ReadJobs;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.domain.JobQuery;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.port.out.TaskReads;
import dev.segrel.core.domain.TaskDetail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Operators' reads of jobs; see {@link ReadJobs}. */
final class ReadJobsService implements ReadJobs {

    private final Jobs jobs;
    private final TaskReads reads;
    private final Clock clock;

    ReadJobsService(Jobs jobs, TaskReads reads, Clock clock) {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.reads = requireNonNull(reads, "reads is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Optional<Progress> progress(JobId jobId) {
        return jobs.jobStatus(jobId).map(s -> progressOf(s, clock.instant()));
    }

    /** The pace since the job was created: until now, or until it finished. */
    static Progress progressOf(JobStatus status, Instant now) {
        Instant end = status.state().isTerminal() && status.updatedAt() != null ? status.updatedAt() : now;
        double rate = 0;
        if (status.createdAt() != null) {
            double seconds = Duration.between(status.createdAt(), end).toMillis() / 1000.0;
            rate = seconds <= 0 ? 0 : status.done() / seconds;
        }
        long left = status.totalSegments() - status.done();
        Optional<Duration> eta = status.state().isTerminal() || left <= 0 || rate <= 0 ? Optional.empty()
                : Optional.of(Duration.ofMillis((long) (left / rate * 1000)));
        return new Progress(status, rate, eta);
    }

    @Override
    public Progress paceOf(JobStatus status) {
        return progressOf(status, clock.instant());
    }

    @Override
    public List<JobStatus> list(JobQuery query) {
        return jobs.listJobs(query);
    }

    @Override
    public Optional<JobStatus> newestOf(String manifestationId) {
        List<JobStatus> completed = jobs.listJobs(new JobQuery(JobState.COMPLETED, manifestationId, 1));
        if (!completed.isEmpty()) {
            return Optional.of(completed.get(0));
        }
        return jobs.listJobs(new JobQuery(null, manifestationId, 1)).stream().findFirst();
    }

    @Override
    public boolean results(JobId jobId, Consumer<TaskDetail> sink) {
        return reads.forEachTask(jobId, sink);
    }

    @Override
    public Optional<Page> page(JobId jobId, int skip, int limit) {
        requireNonNull(jobId, "jobId is null");
        Page.checkWindow(skip, limit);
        Optional<JobStatus> job = jobs.jobStatus(jobId);
        if (job.isEmpty()) {
            return Optional.empty();
        }
        List<TaskDetail> window = new ArrayList<>(Math.min(limit, 16));
        int[] seen = new int[1];
        // no store method pages: the cursor counts every task, the window keeps only the page
        boolean known = reads.forEachTask(jobId, task -> {
            int index = seen[0]++;
            if (index >= skip && index - skip < limit) {
                window.add(task);
            }
        });
        return known
                ? Optional.of(new Page(jobId, job.get().manifestationId(), window, skip, limit, seen[0]))
                : Optional.empty();
    }
}
