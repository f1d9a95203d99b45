package dev.segrel.core.port.out;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Durable state of jobs and their tasks (docs/reliability.md): the claim as a lease, fenced completion,
 * failure with attempts, and the job's progress. Every state change that finishes a job writes the
 * job's completion message to the outbox (see {@link Outbox}) in the same transaction.
 *
 * <p><b>Time.</b> Callers pass {@code now}; implementations never read a clock of their own, so
 * leases and expiry are testable without waiting.
 *
 * <p><b>Threads.</b> Implementations are safe for concurrent use by many threads and many processes
 * sharing one database.
 *
 * <p><b>Errors.</b> Expected outcomes are values ({@link ClaimResult}, {@link CompleteResult},
 * {@link FailResult}). An unreachable database throws {@link StoreUnavailableException} (transient).
 */
public interface TaskStore {

    // ----------------------------------------------------------------------------------- claim

    /** A lease on one task, held by {@code owner} until {@code expiresAt}; {@code token} fences writes. */
    record Lease(UUID taskId, TaskKey key, String owner, long token, Instant expiresAt) {
        public Lease {
            requireNonNull(taskId, "taskId is null");
            requireNonNull(key, "key is null");
            requireNonNull(owner, "owner is null");
            requireNonNull(expiresAt, "expiresAt is null");
        }
    }

    /**
     * What the claimant needs to process the task.
     *
     * @param manifestationId the job's manifestation
     * @param span the task's span: the stored one, else the hint given to {@link #claim}
     * @param attempt this claim's attempt number, 1 for the first
     */
    record ClaimedTask(Lease lease, String manifestationId, Span span, int attempt) {
        public ClaimedTask {
            requireNonNull(lease, "lease is null");
            requireNonNull(manifestationId, "manifestationId is null");
            requireNonNull(span, "span is null");
        }
    }

    sealed interface ClaimResult permits Claimed, AlreadyCompleted, HeldByOther, Exhausted, UnknownTask, NoSpan {}

    /** The caller now holds the lease. */
    record Claimed(ClaimedTask task) implements ClaimResult {}

    /** The task is COMPLETED: acknowledge the message as a no-op. */
    record AlreadyCompleted(TaskKey key) implements ClaimResult {}

    /** Another worker holds a live lease until {@code until}: retry after it. */
    record HeldByOther(TaskKey key, String owner, Instant until) implements ClaimResult {}

    /** The task is FAILED for good (attempts used up or a deterministic error). */
    record Exhausted(TaskKey key, int attempts, String error) implements ClaimResult {}

    /** No such task (or no such job). */
    record UnknownTask(TaskKey key) implements ClaimResult {}

    /** The task has no stored span and the caller gave none. */
    record NoSpan(TaskKey key) implements ClaimResult {}

    /**
     * Claims the task as a lease of length {@code leaseFor}: succeeds from QUEUED or RETRYING, or
     * from IN_PROGRESS whose lease expired before {@code now}. Increments the attempt count. One
     * round trip.
     *
     * @param spanHint the span from the message, used (and stored) when the row has none; may be null
     */
    ClaimResult claim(TaskKey key, Span spanHint, String owner, Instant now, Duration leaseFor);

    /** Extends a held lease (heartbeat). False when the lease is no longer held by its owner. */
    boolean extend(Lease lease, Instant newExpiry);

    /** Gives the task back (QUEUED, lease cleared) without counting the attempt. False when no longer held. */
    boolean release(Lease lease, Instant now);

    // ----------------------------------------------------------------------- complete and fail

    sealed interface CompleteResult permits Completed, LeaseLost {}

    /**
     * The result is stored and counted. {@code jobFinished} is true for exactly one task per job:
     * the one whose completion made every task terminal; {@code jobState} is the job's state after.
     */
    record Completed(TaskKey key, boolean jobFinished, JobState jobState) implements CompleteResult {}

    /** The caller's lease was taken over or released: nothing was written. */
    record LeaseLost(TaskKey key) implements CompleteResult {}

    /**
     * Stores {@code result_json}, marks the task COMPLETED and counts it in the job, in one
     * transaction and only if {@code lease} is still held (fenced). When this makes every task of
     * the job terminal, the job becomes COMPLETED (or FAILED when some task failed) and its
     * completion message is added to the outbox in the same transaction.
     *
     * @throws ResultTooLargeException when the result cannot be stored; nothing is written
     */
    CompleteResult complete(Lease lease, List<Mapping> result, Instant now);

    sealed interface FailResult permits WillRetry, FailedForGood, FailLeaseLost {}

    /** The task is RETRYING; {@code attempts} so far. */
    record WillRetry(TaskKey key, int attempts) implements FailResult {}

    /** The task is FAILED; as for {@link Completed}, {@code jobFinished} marks the last task. */
    record FailedForGood(TaskKey key, int attempts, boolean jobFinished, JobState jobState) implements FailResult {}

    /** The caller's lease was taken over: nothing was written. */
    record FailLeaseLost(TaskKey key) implements FailResult {}

    /**
     * Records a failure with its error. RETRYING while attempts are below {@code maxAttempts} and the
     * failure is not {@code permanent}; FAILED otherwise (finishing the job as {@link #complete} does).
     */
    FailResult fail(Lease lease, String error, boolean permanent, int maxAttempts, Instant now);

    // ------------------------------------------------------------------------------ jobs

    /** A task of a new job. */
    record NewTask(String segmentId, Span span) {
        public NewTask {
            requireNonNull(segmentId, "segmentId is null");
        }
    }

    /** A new job and all its tasks. */
    record NewJob(JobId jobId, String manifestationId, List<NewTask> tasks) {
        public NewJob {
            requireNonNull(jobId, "jobId is null");
            requireNonNull(manifestationId, "manifestationId is null");
            tasks = List.copyOf(requireNonNull(tasks, "tasks is null"));
        }
    }

    sealed interface CreateJobResult permits JobCreated, JobAlreadyExists {}

    record JobCreated(JobId jobId, int tasks) implements CreateJobResult {}

    /** A job with this id exists already: nothing was written (creation is idempotent on the id). */
    record JobAlreadyExists(JobId jobId, int tasks) implements CreateJobResult {}

    /** Creates the job and its tasks (QUEUED) in one transaction. */
    CreateJobResult createJob(NewJob job, Instant now);

    /** Counts of a job's tasks by state, with its totals. */
    record JobStatus(
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
            Instant updatedAt) {}

    /** The job's counts, or empty for an unknown job. One round trip. */
    Optional<JobStatus> jobStatus(JobId jobId);

    /**
     * One task's answer in a job's results.
     *
     * @param mappings the stored {@code result_json}; empty until the task is COMPLETED
     * @param error the task's last error, or null
     */
    record SegmentResult(String segmentId, TaskState state, List<Mapping> mappings, String error) {
        public SegmentResult {
            requireNonNull(segmentId, "segmentId is null");
            requireNonNull(state, "state is null");
            mappings = List.copyOf(requireNonNull(mappings, "mappings is null"));
        }
    }

    /**
     * A job's results in the shape of the existing service's {@code all-relations} answer:
     * {@code {manifestation_id, segments: [{segment_id, mappings}]}}, segments ordered by segment id.
     */
    record JobResults(JobId jobId, String manifestationId, JobState state, List<SegmentResult> segments) {
        public JobResults {
            requireNonNull(jobId, "jobId is null");
            requireNonNull(manifestationId, "manifestationId is null");
            requireNonNull(state, "state is null");
            segments = List.copyOf(requireNonNull(segments, "segments is null"));
        }
    }

    /** Every task's stored mappings, or empty for an unknown job. */
    Optional<JobResults> jobResults(JobId jobId);

    // ---------------------------------------------------------------- recovery and operators

    /**
     * A task that needs a (new) task message.
     *
     * @param span the stored span, or null when the row has none (a legacy producer's task)
     */
    record PendingTask(TaskKey key, String manifestationId, TaskState state, Span span) {
        public PendingTask {
            requireNonNull(key, "key is null");
            requireNonNull(manifestationId, "manifestationId is null");
            requireNonNull(state, "state is null");
        }
    }

    /**
     * Turns up to {@code limit} IN_PROGRESS tasks whose lease expired at or before {@code now} into
     * RETRYING (lease cleared; a late write of the old holder is fenced off) and returns them so a
     * sweeper can re-dispatch them. The attempt count is kept: a worker that sees
     * {@link ClaimedTask#attempt()} past its limit fails the task for good. Safe with many sweepers:
     * each task is returned to one of them.
     */
    List<PendingTask> reclaimExpired(Instant now, int limit);

    /**
     * Returns up to {@code limit} QUEUED or RETRYING tasks not touched since {@code quietSince} (their
     * message is presumably lost) and marks them touched at {@code now}, so that concurrent sweepers
     * do not both re-dispatch one task and the same task is offered again only after another quiet
     * period.
     */
    List<PendingTask> takeStranded(Instant quietSince, int limit, Instant now);

    sealed interface ReprocessResult permits Reprocessed, NothingToReprocess {}

    /**
     * The tasks were reset to QUEUED (attempts, result, error and lease cleared; any holder fenced
     * off), the job's counts corrected and its completion message forgotten so that it is sent again
     * when the job completes again. The caller sends one task message per returned task.
     */
    record Reprocessed(JobId jobId, List<PendingTask> tasks) implements ReprocessResult {
        public Reprocessed {
            requireNonNull(jobId, "jobId is null");
            tasks = List.copyOf(requireNonNull(tasks, "tasks is null"));
        }
    }

    /** No such job or task (when {@code unknown}), or no task matched (e.g. no failed task). */
    record NothingToReprocess(JobId jobId, boolean unknown) implements ReprocessResult {}

    /** Resets one task (whatever its state) for processing again. */
    ReprocessResult reprocessTask(TaskKey key, Instant now);

    /** Resets every task of the job, or only its FAILED ones, for processing again. */
    ReprocessResult reprocessJob(JobId jobId, boolean onlyFailed, Instant now);

    // ------------------------------------------------------------------ operators: reading

    /**
     * Everything stored about one task, for operators (results, reprocessing, dry runs).
     *
     * @param manifestationId the job's manifestation
     * @param span the stored span, or null when the row has none (a legacy producer's task)
     * @param attempts claims so far
     * @param mappings the stored {@code result_json}; empty until the task is COMPLETED
     * @param error the task's last error, or null
     */
    record TaskDetail(TaskKey key, String manifestationId, TaskState state, Span span, int attempts,
            List<Mapping> mappings, String error) {
        public TaskDetail {
            requireNonNull(key, "key is null");
            requireNonNull(manifestationId, "manifestationId is null");
            requireNonNull(state, "state is null");
            mappings = List.copyOf(requireNonNull(mappings, "mappings is null"));
        }
    }

    /** One task, or empty when the job or the segment is unknown. One round trip. */
    Optional<TaskDetail> task(TaskKey key);

    /**
     * Hands every task of the job to {@code sink}, ordered by segment id, without holding the whole
     * job in memory (a job of 100,000 segments streams through a database cursor). {@code sink} runs
     * on the calling thread; an exception it throws stops the iteration and propagates.
     *
     * @return false when the job is unknown ({@code sink} is not called)
     */
    boolean forEachTask(JobId jobId, Consumer<TaskDetail> sink);

    /**
     * Which jobs {@link #listJobs} returns.
     *
     * @param state only jobs in this state, or null for any
     * @param manifestationId only jobs of this manifestation, or null for any
     * @param limit at most this many (the newest first)
     */
    record JobQuery(JobState state, String manifestationId, int limit) {
        public JobQuery {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be >= 1, was " + limit);
            }
        }

        public static JobQuery all(int limit) {
            return new JobQuery(null, null, limit);
        }
    }

    /** The jobs matching {@code query}, newest (by creation) first, then by job id; with their counts. */
    List<JobStatus> listJobs(JobQuery query);
}
