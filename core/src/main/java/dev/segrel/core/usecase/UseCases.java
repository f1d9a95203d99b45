package dev.segrel.core.usecase;

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
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Builds the use-case services, which are package-private. Only {@link dev.segrel.core.SegmentRelations}
 * calls this (an ArchUnit rule keeps the runners and adapters out of this package); it exists so that
 * the services stay hidden.
 */
public final class UseCases {

    private UseCases() {}

    public static FindRelatedSegments findRelatedSegments(AlignmentGraph graph) {
        return new FindRelatedSegmentsService(graph);
    }

    public static ProcessTask processTask(TaskClaims claims, TaskCompletions completions, AlignmentGraphs graphs,
            RetryPolicy retry, Duration leaseFor, Clock clock, RandomGenerator random, int maxResultsInMemory,
            Tracing tracing) {
        return new ProcessTaskService(claims, completions, graphs, retry, leaseFor, clock, random, maxResultsInMemory,
                tracing);
    }

    public static ProcessTask processTask(TaskClaims claims, TaskCompletions completions, AlignmentGraphs graphs,
            RetryPolicy retry, Duration leaseFor, Clock clock, RandomGenerator random, int maxResultsInMemory,
            long maxResultBytesInMemory, Tracing tracing) {
        return new ProcessTaskService(claims, completions, graphs, retry, leaseFor, clock, random, maxResultsInMemory,
                new ResultBytes(maxResultBytesInMemory), tracing);
    }

    /** The bytes of results a worker holds in memory at most by default: a quarter of {@code maxHeapBytes}. */
    public static long defaultMaxResultBytesInMemory(long maxHeapBytes) {
        return ResultBytes.defaultFor(maxHeapBytes);
    }

    /** The results a worker holds in memory at most by default: sized from the heap ({@code maxHeapBytes}). */
    public static int defaultMaxResultsInMemory(long maxHeapBytes) {
        return ResultBudget.defaultFor(maxHeapBytes);
    }

    public static HandleTaskMessage handleTaskMessage(ProcessTask process, Batches batches, RejectedMessages rejected,
            RetryPolicy retry, Clock clock, RandomGenerator random) {
        return new HandleTaskMessageService(process, batches, rejected, retry, clock, random);
    }

    public static CreateJob createJob(Supplier<AlignmentGraph> graph, Jobs jobs, TaskReads reads, TaskQueue queue,
            Clock clock, Tracing tracing) {
        return new CreateJobService(graph, jobs, reads, queue, clock, tracing);
    }

    public static SweepStranded sweepStranded(TaskRecovery recovery, TaskClaims claims, TaskCompletions completions,
            TaskQueue queue, QueueAdmin counts, AlignmentGraph graph, Clock clock, SweepStranded.Limits limits) {
        return new SweepStrandedService(recovery, queue, counts, claims, completions, graph, clock, limits);
    }

    public static RelayOutbox relayOutbox(Outbox outbox, MessagePublisher publisher, Clock clock, String owner,
            int batchSize, Duration leaseFor, Tracing tracing) {
        return new RelayOutboxService(outbox, publisher, clock, owner, batchSize, leaseFor, tracing);
    }

    public static RelayOutbox relayOutbox(Outbox outbox, MessagePublisher publisher, Clock clock, String owner,
            Tracing tracing) {
        return relayOutbox(outbox, publisher, clock, owner, RelayOutboxService.BATCH_SIZE,
                RelayOutboxService.leaseFor(publisher), tracing);
    }

    public static RelayOutbox relayOutbox(Outbox outbox, MessagePublisher publisher, Clock clock, String owner,
            Duration leaseFor, Tracing tracing) {
        return relayOutbox(outbox, publisher, clock, owner, RelayOutboxService.BATCH_SIZE, leaseFor, tracing);
    }

    public static ReprocessTasks reprocessTasks(Jobs jobs, Batches batches, TaskReads reads, TaskRecovery recovery,
            Supplier<TaskQueue> queue, Supplier<FindRelatedSegments> relations, Supplier<ProcessTask> process,
            Clock clock) {
        return new ReprocessTasksService(jobs, batches, reads, recovery, queue, relations, process, clock);
    }

    public static ReadJobs readJobs(Jobs jobs, TaskReads reads, Clock clock) {
        return new ReadJobsService(jobs, reads, clock);
    }
}
