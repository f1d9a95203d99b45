package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.segrel.core.SegmentRelations;
import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.Batch;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.port.in.HandleTaskMessage;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.in.RelayOutbox;
import dev.segrel.core.port.in.SweepStranded;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.Batches;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.MessagePublisher;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.RejectedMessages;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskRecovery;
import dev.segrel.sqs.SqsConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The worker's own objects, built from the ports the adapter modules bind. */
final class WorkerModule extends AbstractModule {

    private final Settings settings;
    private final WorkerConfig config;
    private final Clock clock;

    WorkerModule(Settings settings, WorkerConfig config, Clock clock) {
        this.settings = requireNonNull(settings, "settings is null");
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    protected void configure() {
        bind(Settings.class).toInstance(settings);
        bind(WorkerConfig.class).toInstance(config);
        bind(Clock.class).toInstance(clock);
    }

    @Provides
    @Singleton
    WorkerMetrics metrics() {
        return new WorkerMetrics();
    }

    @Provides
    @Singleton
    ProcessTask processTask(TaskClaims claims, TaskCompletions completions, AlignmentGraph graph, SqsConfig sqs) {
        // the lease lasts as long as the message stays invisible: one heartbeat extends both
        return SegmentRelations.processTask(claims, completions, graph, config.retry(), sqs.visibilityTimeout(), clock);
    }

    @Provides
    @Singleton
    HandleTaskMessage handleTaskMessage(ProcessTask processTask, RejectedMessages rejected, Jobs jobs) {
        return SegmentRelations.handleTaskMessage(processTask, temporaryBatches(jobs), rejected, config.retry(), clock);
    }

    /**
     * TEMPORARY until the PostgreSQL adapter binds {@link Batches} (branch layouts-pg); drop on merge.
     * Checks the batch's job only, so batch messages are processed as before and never announced.
     */
    static Batches temporaryBatches(Jobs jobs) {
        return new Batches() {
            @Override
            public Registration register(Batch batch, Instant now) {
                return jobs.jobStatus(batch.jobId())
                        .<Registration>map(j -> j.manifestationId().equals(batch.manifestationId())
                                ? new Registered(1, true, batch.segmentIds().size())
                                : new OfAnotherManifestation(batch.jobId(), j.manifestationId()))
                        .orElse(new UnknownJob(batch.jobId()));
            }

            @Override
            public List<Batch> batchesOf(JobId jobId) {
                return List.of();
            }
        };
    }

    @Provides
    @Singleton
    RelayOutbox relay(Outbox outbox, MessagePublisher publisher) {
        return SegmentRelations.relayOutbox(outbox, publisher, clock, config.workerId());
    }

    @Provides
    @Singleton
    SweepStranded sweeper(TaskRecovery recovery, TaskQueue queue, AlignmentGraph graph) {
        return SegmentRelations.sweepStranded(recovery, queue, graph, clock, config.strandedAfter());
    }

    @Provides
    @Singleton
    Worker worker(TaskQueue queue, HandleTaskMessage handler, RelayOutbox relay, SweepStranded sweeper,
            WorkerMetrics metrics, SqsConfig sqs) {
        return new Worker(new Worker.Parts(queue, handler, relay, sweeper, metrics, clock, config.workerId(),
                config.concurrency(), sqs.waitTime(), sqs.visibilityTimeout(), config.relayInterval(),
                config.sweepInterval()));
    }
}
