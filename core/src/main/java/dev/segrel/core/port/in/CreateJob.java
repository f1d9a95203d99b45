package dev.segrel.core.port.in;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.domain.EnvironmentName;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Creates a job for every segment of a manifestation (from the graph, or as given) and enqueues its
 * tasks, as the existing service's {@code POST /relation/{manifestation_id}} does: the job and its
 * tasks are stored in one transaction before the first message is sent, so an interrupted send
 * loses nothing (the sweeper re-dispatches, and creating again with the same job id re-sends the
 * messages of the tasks still QUEUED).
 *
 * <p>One running job per manifestation: without a job id, a job is refused while another job of the
 * same manifestation is QUEUED or IN_PROGRESS, unless forced.
 *
 * <p>Blocks while it stores and sends; thread-safe. Faults of the graph, store or queue propagate
 * as their unavailable exceptions (transient): what was stored stays.
 */
public interface CreateJob {

    /** Largest batch of a batch-format message: keeps a message far below SQS's 256 KiB. */
    int MAX_BATCH_SIZE = 500;

    /** The deployed producer's batch size: up to this many segments per batch message. */
    int PRODUCER_BATCH_SIZE = 500;

    /**
     * A job to create.
     *
     * @param manifestationId the manifestation whose segments the job computes
     * @param source which annotation's segments, when {@code segments} is null
     * @param segments the segments to use instead of the graph's, or null
     * @param batchSize 0: one single-format message per task; else batch messages of that many segments
     * @param jobId the job's id, or null for a new random one; an existing job's QUEUED tasks are re-sent
     * @param force create even when another job of the manifestation is running
     * @param sourceEnvironment the batch messages' {@code source_environment} (the graph the workers
     *     search), or null
     * @param destinationEnvironment the batch messages' {@code destination_environment} (where the
     *     downstream consumer posts the results), or null
     * @param resetNewest as the deployed producer does: when the manifestation has a job, reset its
     *     newest one (status QUEUED, counts 0, a new run) and send every segment again, instead of
     *     creating a job
     */
    record Command(String manifestationId, SegmentSource source, List<NewTask> segments, int batchSize, JobId jobId,
            boolean force, String sourceEnvironment, String destinationEnvironment, boolean resetNewest) {
        public Command {
            requireNonNull(manifestationId, "manifestationId is null");
            requireNonNull(source, "source is null");
            segments = segments == null ? null : List.copyOf(segments);
            if (batchSize < 0 || batchSize > MAX_BATCH_SIZE) {
                throw new IllegalArgumentException("batch size must be in 0.." + MAX_BATCH_SIZE + ", was " + batchSize);
            }
            for (String environment : new String[] {sourceEnvironment, destinationEnvironment}) {
                if (environment != null && !EnvironmentName.isValid(environment)) {
                    throw new IllegalArgumentException("not an environment name (a letter, then letters, digits or _): "
                            + environment);
                }
            }
        }

        public Command(String manifestationId, SegmentSource source, List<NewTask> segments, int batchSize, JobId jobId,
                boolean force) {
            this(manifestationId, source, segments, batchSize, jobId, force, null, null, false);
        }
    }

    sealed interface Result permits Created, Resent, Reset, AnotherJobRunning, UnknownManifestation, NoSegments,
            OfAnotherManifestation {}

    /**
     * The manifestation's newest job was reset ({@link Command#resetNewest()}): run {@code run} of
     * it started with {@code segments} segments and {@code messages} task messages were sent.
     */
    record Reset(JobId jobId, String manifestationId, int run, int segments, int messages) implements Result {}

    /** The job and its tasks were stored and {@code messages} task messages sent. */
    record Created(JobId jobId, String manifestationId, int segments, int messages) implements Result {}

    /** The job existed: the messages of its {@code queuedTasks} QUEUED tasks were sent again. */
    record Resent(JobId jobId, String manifestationId, JobState state, int segments, int queuedTasks, int messages)
            implements Result {}

    /** Refused: {@code running} is a QUEUED or IN_PROGRESS job of the same manifestation. */
    record AnotherJobRunning(JobStatus running) implements Result {}

    /** The manifestation is not in the graph; nothing was created. */
    record UnknownManifestation(String manifestationId) implements Result {}

    /** The manifestation has no segments of that source; nothing was created. */
    record NoSegments(String manifestationId, SegmentSource source) implements Result {}

    /** The given job id belongs to a job of another manifestation; nothing was changed. */
    record OfAnotherManifestation(JobId jobId, String manifestationId) implements Result {}

    /**
     * Creates (or resumes) the job.
     *
     * @param sent called with the number of messages sent so far, after each chunk
     */
    Result create(Command command, IntConsumer sent);
}
