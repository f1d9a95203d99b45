package dev.segrel.core;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.port.in.CreateJob;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.in.HandleTaskMessage;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.in.ReadJobs;
import dev.segrel.core.port.in.RelayOutbox;
import dev.segrel.core.port.in.ReprocessTasks;
import dev.segrel.core.port.in.SweepStranded;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.AlignmentGraphs;
import dev.segrel.core.port.out.Batches;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.MessagePublisher;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.core.port.out.RejectedMessages;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskReads;
import dev.segrel.core.port.out.TaskRecovery;
import dev.segrel.core.port.out.Tracing;
import dev.segrel.core.usecase.UseCases;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The way into segrel as a library, without a DI container: each method builds one use case (an
 * in-port of {@code dev.segrel.core.port.in}) over the out-ports it needs. Every use case is
 * thread-safe; build it once and share it. The runners' Guice modules call these methods too.
 *
 * <pre>{@code
 * FindRelatedSegments relations = SegmentRelations.over(myGraph);
 * List<Mapping> mappings = relations.mappings(FindRelatedSegments.Query.of("M1", 0, 100));
 * }</pre>
 *
 * Any {@link AlignmentGraph} works: the Neo4j adapter, an in-memory one, or the caller's own.
 */
public final class SegmentRelations {

    private SegmentRelations() {}

    /** The related-segments search over the given graph. */
    public static FindRelatedSegments over(AlignmentGraph graph) {
        return UseCases.findRelatedSegments(graph);
    }

    /**
     * One task, the way a worker runs it: claim as a lease of {@code leaseFor}, compute, store fenced,
     * retry transient faults with {@code retry}'s backoff. One per worker (it tracks the leases it holds).
     */
    public static ProcessTask processTask(TaskClaims claims, TaskCompletions completions, AlignmentGraph graph,
            RetryPolicy retry, Duration leaseFor, Clock clock) {
        return processTask(claims, completions, graph, retry, leaseFor, clock, RandomGenerator.getDefault());
    }

    /** As {@link #processTask(TaskClaims, TaskCompletions, AlignmentGraph, RetryPolicy, Duration, Clock)}, with a given jitter source (tests). */
    public static ProcessTask processTask(TaskClaims claims, TaskCompletions completions, AlignmentGraph graph,
            RetryPolicy retry, Duration leaseFor, Clock clock, RandomGenerator random) {
        return processTask(claims, completions, AlignmentGraphs.of(graph), retry, leaseFor, clock, random);
    }

    /**
     * One task, searched in the graph of the message's environment ({@code source_environment}); see
     * {@link #processTask(TaskClaims, TaskCompletions, AlignmentGraph, RetryPolicy, Duration, Clock)}.
     */
    public static ProcessTask processTask(TaskClaims claims, TaskCompletions completions, AlignmentGraphs graphs,
            RetryPolicy retry, Duration leaseFor, Clock clock) {
        return processTask(claims, completions, graphs, retry, leaseFor, clock, RandomGenerator.getDefault());
    }

    /** As {@link #processTask(TaskClaims, TaskCompletions, AlignmentGraphs, RetryPolicy, Duration, Clock)}, with a given jitter source (tests). */
    public static ProcessTask processTask(TaskClaims claims, TaskCompletions completions, AlignmentGraphs graphs,
            RetryPolicy retry, Duration leaseFor, Clock clock, RandomGenerator random) {
        return processTask(claims, completions, graphs, retry, leaseFor, clock, random,
                defaultMaxResultsInMemory(Runtime.getRuntime().maxMemory()));
    }

    /**
     * As {@link #processTask(TaskClaims, TaskCompletions, AlignmentGraphs, RetryPolicy, Duration, Clock)},
     * holding at most {@code maxResultsInMemory} segments' results at once (sets larger than that are
     * processed in parts; sets wait for room).
     */
    public static ProcessTask processTask(TaskClaims claims, TaskCompletions completions, AlignmentGraphs graphs,
            RetryPolicy retry, Duration leaseFor, Clock clock, RandomGenerator random, int maxResultsInMemory) {
        return processTask(claims, completions, graphs, retry, leaseFor, clock, random, maxResultsInMemory,
                Tracing.noop());
    }

    /**
     * As {@link #processTask(TaskClaims, TaskCompletions, AlignmentGraphs, RetryPolicy, Duration, Clock,
     * RandomGenerator, int)}, each set traced in {@code tracing}: spans {@code process}, {@code claim},
     * {@code search} and {@code store}, continuing each task's message's trace.
     */
    public static ProcessTask processTask(TaskClaims claims, TaskCompletions completions, AlignmentGraphs graphs,
            RetryPolicy retry, Duration leaseFor, Clock clock, RandomGenerator random, int maxResultsInMemory,
            Tracing tracing) {
        return UseCases.processTask(claims, completions, graphs, retry, leaseFor, clock, random, maxResultsInMemory,
                tracing);
    }

    /**
     * As {@link #processTask(TaskClaims, TaskCompletions, AlignmentGraphs, RetryPolicy, Duration, Clock,
     * RandomGenerator, int, Tracing)}, the computed results held at once bounded by {@code
     * maxResultBytesInMemory} as well: a set whose next result does not fit stores what it holds first.
     */
    public static ProcessTask processTask(TaskClaims claims, TaskCompletions completions, AlignmentGraphs graphs,
            RetryPolicy retry, Duration leaseFor, Clock clock, RandomGenerator random, int maxResultsInMemory,
            long maxResultBytesInMemory, Tracing tracing) {
        return UseCases.processTask(claims, completions, graphs, retry, leaseFor, clock, random, maxResultsInMemory,
                maxResultBytesInMemory, tracing);
    }

    /**
     * The bytes of results a worker holds in memory at most unless configured
     * ({@code SEGREL_MAX_RESULT_BYTES_IN_MEMORY}): a quarter of {@code maxHeapBytes}, at least 16 MiB.
     */
    public static long defaultMaxResultBytesInMemory(long maxHeapBytes) {
        return UseCases.defaultMaxResultBytesInMemory(maxHeapBytes);
    }

    /**
     * The results a worker holds in memory at most unless configured ({@code SEGREL_MAX_RESULTS_IN_MEMORY}):
     * a quarter of {@code maxHeapBytes} at 64 KiB a result, within [64, 8192].
     */
    public static int defaultMaxResultsInMemory(long maxHeapBytes) {
        return UseCases.defaultMaxResultsInMemory(maxHeapBytes);
    }

    /**
     * A received task message, to a disposition for its queue: batches recorded in {@code batches}
     * before their segments are processed; refusals recorded in {@code rejected}.
     */
    public static HandleTaskMessage handleTaskMessage(ProcessTask process, Batches batches, RejectedMessages rejected,
            RetryPolicy retry, Clock clock) {
        return UseCases.handleTaskMessage(process, batches, rejected, retry, clock, RandomGenerator.getDefault());
    }

    /** As {@link #handleTaskMessage(ProcessTask, Batches, RejectedMessages, RetryPolicy, Clock)}, with a given jitter source (tests). */
    public static HandleTaskMessage handleTaskMessage(ProcessTask process, Batches batches, RejectedMessages rejected,
            RetryPolicy retry, Clock clock, RandomGenerator random) {
        return UseCases.handleTaskMessage(process, batches, rejected, retry, clock, random);
    }

    /** Job creation; {@code graph} is opened only when the segments come from it. */
    public static CreateJob createJob(Supplier<AlignmentGraph> graph, Jobs jobs, TaskReads reads, TaskQueue queue,
            Clock clock) {
        return createJob(graph, jobs, reads, queue, clock, Tracing.noop());
    }

    /**
     * As {@link #createJob(Supplier, Jobs, TaskReads, TaskQueue, Clock)}, each creation a span
     * {@code job create} in {@code tracing} whose context every task message carries.
     */
    public static CreateJob createJob(Supplier<AlignmentGraph> graph, Jobs jobs, TaskReads reads, TaskQueue queue,
            Clock clock, Tracing tracing) {
        return UseCases.createJob(graph, jobs, reads, queue, clock, tracing);
    }

    /**
     * A sweeper without the queue's counters: it re-sends the tasks of expired leases only, since a
     * quiet waiting task is never provably stranded without them (see {@link SweepStranded}).
     */
    public static SweepStranded sweepStranded(TaskRecovery recovery, TaskQueue queue, AlignmentGraph graph, Clock clock,
            Duration strandedAfter) {
        return UseCases.sweepStranded(recovery, null, null, queue, null, graph, clock,
                new SweepStranded.Limits(strandedAfter));
    }

    /**
     * The sweeper: re-sends the tasks of expired leases, and the quiet waiting tasks the task queue
     * ({@code counts}, the queue {@code queue} sends to) provably holds no message for; fails for good
     * the span-less tasks the graph has no span for.
     */
    public static SweepStranded sweepStranded(TaskRecovery recovery, TaskClaims claims, TaskCompletions completions,
            TaskQueue queue, QueueAdmin counts, AlignmentGraph graph, Clock clock, SweepStranded.Limits limits) {
        return UseCases.sweepStranded(recovery, requireNonNull(claims, "claims is null"),
                requireNonNull(completions, "completions is null"), queue, requireNonNull(counts, "counts is null"),
                graph, clock, limits);
    }

    /**
     * The outbox relay named {@code owner} (unique per process), with the default batch and lease (twice
     * the publisher's call timeout and a margin).
     */
    public static RelayOutbox relayOutbox(Outbox outbox, MessagePublisher publisher, Clock clock, String owner) {
        return relayOutbox(outbox, publisher, clock, owner, Tracing.noop());
    }

    /**
     * The outbox relay, each message sent in a span {@code completion send} continuing the trace stored
     * with its row, whose context the message carries on.
     */
    public static RelayOutbox relayOutbox(Outbox outbox, MessagePublisher publisher, Clock clock, String owner,
            Tracing tracing) {
        return UseCases.relayOutbox(outbox, publisher, clock, owner, tracing);
    }

    /**
     * The outbox relay of {@link #relayOutbox(Outbox, MessagePublisher, Clock, String, Tracing)} holding
     * each message for {@code leaseFor} instead of the lease derived from the publisher; it must still be
     * longer than the publisher's call timeout ({@link IllegalArgumentException} otherwise).
     */
    public static RelayOutbox relayOutbox(Outbox outbox, MessagePublisher publisher, Clock clock, String owner,
            Duration leaseFor, Tracing tracing) {
        return UseCases.relayOutbox(outbox, publisher, clock, owner, leaseFor, tracing);
    }

    /**
     * The outbox relay, taking {@code batchSize} messages per pass, each held for {@code leaseFor}, which
     * must be longer than the publisher's call timeout.
     */
    public static RelayOutbox relayOutbox(Outbox outbox, MessagePublisher publisher, Clock clock, String owner,
            int batchSize, Duration leaseFor) {
        return UseCases.relayOutbox(outbox, publisher, clock, owner, batchSize, leaseFor, Tracing.noop());
    }

    /**
     * Reprocessing; the suppliers are called only by the modes that need them (a dry run sends
     * nothing). A batched job reprocessed whole has its batches (from {@code batches}) sent again, so
     * that its new run announces each again.
     */
    public static ReprocessTasks reprocessTasks(Jobs jobs, Batches batches, TaskReads reads, TaskRecovery recovery,
            Supplier<TaskQueue> queue, Supplier<FindRelatedSegments> relations, Supplier<ProcessTask> process,
            Clock clock) {
        return UseCases.reprocessTasks(jobs, batches, reads, recovery, queue, relations, process, clock);
    }

    /** Operators' reads of jobs: progress, lists, results. */
    public static ReadJobs readJobs(Jobs jobs, TaskReads reads, Clock clock) {
        return UseCases.readJobs(jobs, reads, clock);
    }
}
