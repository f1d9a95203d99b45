package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.segrel.core.SegmentRelations;
import dev.segrel.core.config.Settings;
import dev.segrel.core.port.in.OutboxRelay;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.MessagePublisher;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.RejectedMessages;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskStore;
import dev.segrel.core.usecase.OutboxRelays;
import dev.segrel.sqs.SqsConfig;
import java.time.Clock;

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
    ProcessTask processTask(TaskStore store, AlignmentGraph graph, SqsConfig sqs) {
        // the lease lasts as long as the message stays invisible: one heartbeat extends both
        return SegmentRelations.processTask(store, graph, config.retry(), sqs.visibilityTimeout(), clock);
    }

    @Provides
    @Singleton
    OutboxRelay relay(Outbox outbox, MessagePublisher publisher) {
        return OutboxRelays.relay(outbox, publisher, clock, config.workerId());
    }

    @Provides
    @Singleton
    Sweeper sweeper(TaskStore store, TaskQueue queue, AlignmentGraph graph) {
        return new Sweeper(store, queue, graph, clock, config.strandedAfter());
    }

    /** Relays batch after batch until the outbox has no full batch left or a send fails. */
    static int relayAll(OutboxRelay relay, WorkerMetrics metrics) {
        int sent = 0;
        OutboxRelay.RelayReport report;
        do {
            report = relay.relayOnce();
            sent += report.sent();
        } while (report.taken() >= OutboxRelays.DEFAULT_BATCH_SIZE && report.failed() == 0);
        metrics.published(sent);
        return sent;
    }

    @Provides
    @Singleton
    Worker worker(TaskQueue queue, ProcessTask processTask, RejectedMessages rejected, OutboxRelay relay,
            Sweeper sweeper, WorkerMetrics metrics, SqsConfig sqs) {
        return new Worker(new Worker.Parts(queue, processTask, rejected,
                () -> relayAll(relay, metrics),
                sweeper::sweepOnce, metrics, clock, config.workerId(), config.concurrency(), sqs.waitTime(),
                sqs.visibilityTimeout(), config.relayInterval(), config.sweepInterval()));
    }
}
