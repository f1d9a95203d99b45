package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.segrel.core.SegmentRelations;
import dev.segrel.core.config.Settings;
import dev.segrel.core.port.in.HandleTaskMessage;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.in.RelayOutbox;
import dev.segrel.core.port.in.SweepStranded;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.AlignmentGraphs;
import dev.segrel.core.port.out.Backlog;
import dev.segrel.core.port.out.Batches;
import dev.segrel.core.port.out.MessagePublisher;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.core.port.out.RejectedMessages;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskRecovery;
import dev.segrel.core.port.out.Tracing;
import dev.segrel.sqs.SqsConfig;
import java.time.Clock;
import java.util.random.RandomGenerator;

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
        return new WorkerMetrics(clock);
    }

    @Provides
    @Singleton
    BacklogPoller backlogPoller(Backlog backlog, QueueAdmin queue, WorkerMetrics metrics, Resources resources,
            Outbox outbox) {
        return resources.register(new BacklogPoller(backlog, queue, metrics.backlog(), outbox));
    }

    @Provides
    @Singleton
    ProcessTask processTask(TaskClaims claims, TaskCompletions completions, AlignmentGraphs graphs, SqsConfig sqs,
            WorkerMetrics metrics, Tracing tracing) {
        // the lease lasts as long as the message stays invisible: one heartbeat extends both
        return SegmentRelations.processTask(new ObservedTaskClaims(claims, metrics), completions, graphs, config.retry(),
                sqs.visibilityTimeout(), clock, RandomGenerator.getDefault(), config.maxResultsInMemory(),
                config.maxResultBytesInMemory(), tracing);
    }

    @Provides
    @Singleton
    HandleTaskMessage handleTaskMessage(ProcessTask processTask, Batches batches, RejectedMessages rejected) {
        return SegmentRelations.handleTaskMessage(processTask, batches, rejected, config.retry(), clock);
    }

    @Provides
    @Singleton
    RelayOutbox relay(Outbox outbox, MessagePublisher publisher, Tracing tracing) {
        config.relayLease().filter(lease -> lease.compareTo(publisher.callTimeout()) <= 0).ifPresent(lease -> {
            // a shorter lease would let another relay send a message whose call may still deliver it
            throw new IllegalArgumentException("SEGREL_RELAY_LEASE_MS must be longer than the completion publisher's "
                    + "call timeout (" + publisher.callTimeout().toMillis() + " ms), was " + lease.toMillis());
        });
        return config.relayLease()
                .map(lease -> SegmentRelations.relayOutbox(outbox, publisher, clock, config.workerId(), lease, tracing))
                .orElseGet(() -> SegmentRelations.relayOutbox(outbox, publisher, clock, config.workerId(), tracing));
    }

    @Provides
    @Singleton
    SweepStranded sweeper(TaskRecovery recovery, TaskClaims claims, TaskCompletions completions, TaskQueue queue,
            QueueAdmin counts, AlignmentGraph graph) {
        return SegmentRelations.sweepStranded(recovery, claims, completions, queue, counts, graph, clock,
                config.sweepLimits());
    }

    @Provides
    @Singleton
    Worker worker(TaskQueue queue, HandleTaskMessage handler, RelayOutbox relay, SweepStranded sweeper,
            WorkerMetrics metrics, SqsConfig sqs, Tracing tracing) {
        return new Worker(new Worker.Parts(queue, handler, relay, sweeper, metrics, clock, config.workerId(),
                config.concurrency(), sqs.waitTime(), sqs.visibilityTimeout(), config.relayInterval(),
                config.sweepInterval(), config.receivers(), tracing, queueName(sqs)));
    }

    /** The queue's name, for the receive spans: the last part of its URL. */
    static String queueName(SqsConfig sqs) {
        String url = sqs.queueUrl().orElse("");
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
