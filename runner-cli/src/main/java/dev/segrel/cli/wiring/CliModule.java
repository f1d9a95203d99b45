package dev.segrel.cli.wiring;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.segrel.core.SegmentRelations;
import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.port.in.CreateJob;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.in.ReadJobs;
import dev.segrel.core.port.in.ReprocessTasks;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskReads;
import dev.segrel.core.port.out.Tracing;
import dev.segrel.core.port.out.TaskRecovery;
import dev.segrel.postgres.Postgres;
import dev.segrel.worker.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;

/**
 * The operator commands' use cases, over the ports the adapters' modules (the worker's own) bind.
 * Every use case that reads or writes jobs first checks that the database holds segrel's tables, so
 * a command on an unmigrated database says so instead of failing on a missing table.
 */
final class CliModule extends AbstractModule {

    /** How long {@code reprocess segment --now} holds its task: a computation here is not heartbeaten. */
    static final Duration REPROCESS_LEASE = Duration.ofMinutes(5);

    private final Settings settings;
    private final Clock clock;

    CliModule(Settings settings, Clock clock) {
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    protected void configure() {
        bind(Settings.class).toInstance(settings);
        bind(Clock.class).toInstance(clock);
        // the graph adapter exports its cache counters here; no command serves them
        bind(WorkerMetrics.class).toInstance(new WorkerMetrics());
    }

    @Provides
    @Singleton
    FindRelatedSegments relations(AlignmentGraph graph) {
        return SegmentRelations.over(graph);
    }

    @Provides
    @Singleton
    CreateJob createJob(Provider<AlignmentGraph> graph, Postgres postgres, Jobs jobs, TaskReads reads, TaskQueue queue,
            Tracing tracing) {
        postgres.requireSchema();
        return SegmentRelations.createJob(graph::get, jobs, reads, queue, clock, tracing);
    }

    @Provides
    @Singleton
    ReadJobs readJobs(Postgres postgres, Jobs jobs, TaskReads reads) {
        postgres.requireSchema();
        return SegmentRelations.readJobs(jobs, reads, clock);
    }

    @Provides
    @Singleton
    ProcessTask processTask(TaskClaims claims, TaskCompletions completions, AlignmentGraph graph) {
        return SegmentRelations.processTask(claims, completions, graph, RetryPolicy.DEFAULT, REPROCESS_LEASE, clock);
    }

    @Provides
    @Singleton
    ReprocessTasks reprocessTasks(Postgres postgres, Jobs jobs, TaskReads reads, TaskRecovery recovery,
            Provider<TaskQueue> queue, Provider<FindRelatedSegments> relations, Provider<ProcessTask> process) {
        postgres.requireSchema();
        return SegmentRelations.reprocessTasks(jobs, postgres.batches(), reads, recovery, queue::get, relations::get,
                process::get, clock);
    }
}
