package dev.segrel.core.port.in;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.MappingDiff;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import java.util.List;
import java.util.function.Consumer;

/**
 * Computes tasks again after the graph changed or they failed: one segment or a whole job (or its
 * FAILED tasks), through the queue (reset to QUEUED, counts corrected, a message sent; the job
 * announces its completion again when done), in this process, or as a dry run that only reports how
 * a fresh answer differs from the stored one.
 *
 * <p>Blocks while it computes or sends; thread-safe. Faults propagate as their unavailable exceptions.
 */
public interface ReprocessTasks {

    /** How to reprocess one segment. */
    enum Mode {
        /** Reset the task and send a message for a worker. */
        QUEUE,
        /** Reset the task and compute it here (claim, compute, store: what a worker does). */
        NOW,
        /** Compute it here and report the difference; write nothing. */
        DRY_RUN
    }

    sealed interface SegmentResult permits Requeued, ComputedHere, SegmentDryRun, UnknownTask, NoSpan {}

    /** The task was reset and {@code messages} message sent; {@code was} its state before. */
    record Requeued(TaskKey key, TaskState was, int messages) implements SegmentResult {}

    /** The task was reset and processed here, with this outcome. */
    record ComputedHere(TaskKey key, ProcessTask.Outcome outcome) implements SegmentResult {}

    /**
     * A dry run: how a fresh answer differs from the stored one (nothing stored counts as empty).
     *
     * @param state the task's state
     */
    record SegmentDryRun(TaskKey key, TaskState state, MappingDiff diff, List<Mapping> fresh) implements SegmentResult {
        public SegmentDryRun {
            requireNonNull(diff, "diff is null");
            fresh = List.copyOf(requireNonNull(fresh, "fresh is null"));
        }
    }

    /** No such job, or no such segment in it. */
    record UnknownTask(TaskKey key) implements SegmentResult {}

    /** The task has no stored span (a legacy producer's task whose message no worker saw): nothing to compute from. */
    record NoSpan(TaskKey key) implements SegmentResult {}

    /** Reprocesses one segment. */
    SegmentResult segment(TaskKey key, Mode mode);

    sealed interface JobResult permits JobRequeued, NothingToReprocess, JobDryRun, UnknownJob {}

    /** {@code tasks} tasks were reset and one message each sent. */
    record JobRequeued(JobId jobId, int tasks) implements JobResult {}

    /** The job has no task to reprocess (e.g. no FAILED one). */
    record NothingToReprocess(JobId jobId) implements JobResult {}

    /**
     * A dry run of the job.
     *
     * @param checked tasks computed and compared
     * @param changed those whose answer would change (each handed to the sink)
     * @param withoutSpan tasks skipped because they have no stored span
     */
    record JobDryRun(JobId jobId, int checked, int changed, int withoutSpan) implements JobResult {}

    /** No such job. */
    record UnknownJob(JobId jobId) implements JobResult {}

    /** One task of a dry run whose answer would change. */
    record Changed(String segmentId, TaskState state, MappingDiff diff) {}

    /**
     * Reprocesses the job's tasks (only the FAILED ones when {@code onlyFailed}).
     *
     * @param dryRun compute and compare only; every changed task goes to {@code changed}, streamed
     */
    JobResult job(JobId jobId, boolean onlyFailed, boolean dryRun, Consumer<Changed> changed);
}
