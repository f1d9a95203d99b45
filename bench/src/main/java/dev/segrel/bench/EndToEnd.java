package dev.segrel.bench;

import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskQueue.QueuedMessage;
import dev.segrel.devstack.postgres.EmbeddedPostgres;
import dev.segrel.devstack.sqs.EmbeddedSqs;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.sqs.SqsTaskQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A job end to end on the real adapters: task messages in an embedded SQS (ElasticMQ), tasks in an
 * embedded PostgreSQL, {@code workers} threads each looping receive(10) → claim → compute →
 * complete → delete (a minimal loop over {@link ProcessTask}, not the daemon's {@code Worker}). The
 * ceiling is the same loop on the same servers doing no computing: claim and write a precomputed
 * result of the same size, then delete.
 */
final class EndToEnd implements AutoCloseable {

    private final EmbeddedSqs sqs;
    private final EmbeddedPostgres pg;
    private final Postgres postgres;
    private final int workers;
    private int queues;

    EndToEnd(int workers) {
        this.workers = workers;
        this.sqs = EmbeddedSqs.start(0);
        this.pg = EmbeddedPostgres.start(0);
        this.postgres = Postgres.connect(PostgresConfig.ofUrl(pg.jdbcUrl()).withPoolSize(workers + 4), "segrel-bench");
        postgres.migrator().migrate();
    }

    /** The ceiling: same messages and result writes, no computing. */
    Measurement ceiling(String manifestation, List<Segment> segments, Map<String, List<Mapping>> results)
            throws Exception {
        Clock clock = Clock.systemUTC();
        return run("ceiling: SQS receive+delete, PostgreSQL claim+result write", manifestation, segments, request -> {
            if (postgres.claims().claim(request.key(), request.span(), "bench", clock.instant(), Duration.ofMinutes(5))
                    instanceof TaskClaims.Claimed claimed) {
                postgres.completions().complete(claimed.task().lease(), results.get(request.segmentId()), clock.instant());
                return true;
            }
            return false;
        });
    }

    /** The job through {@link ProcessTask} over {@code graph}. */
    Measurement job(String name, String manifestation, List<Segment> segments, AlignmentGraph graph) throws Exception {
        ProcessTask process = SegmentRelations.processTask(postgres.claims(), postgres.completions(), graph, RetryPolicy.DEFAULT,
                Duration.ofMinutes(5), Clock.systemUTC());
        return run(name, manifestation, segments, request -> process.process(
                new ProcessTask.Command(request.key(), request.span(), "bench")).acknowledge());
    }

    private interface Handler {
        boolean handle(TaskRequest request);
    }

    private Measurement run(String name, String manifestation, List<Segment> segments, Handler handler) throws Exception {
        QueueUrls urls = sqs.createQueues("segrel-bench-" + (++queues));
        TaskQueue queue = new SqsTaskQueue(sqs.client(), urls.queue(), Optional.of(urls.deadLetter()), Duration.ofSeconds(60));
        JobId job = JobId.random();
        List<NewTask> tasks = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (Segment s : segments) {
            tasks.add(new NewTask(s.id(), s.span()));
            bodies.add(TaskMessage.toSingleJson(new TaskRequest(job, manifestation, s.id(), s.span())));
        }
        postgres.jobs().createJob(new Jobs.NewJob(job, manifestation, tasks), Clock.systemUTC().instant());
        queue.send(bodies);

        AtomicInteger done = new AtomicInteger();
        Map<String, Long> latencies = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    while (done.get() < segments.size()) {
                        List<QueuedMessage> messages = queue.receive(TaskQueue.MAX_BATCH, Duration.ofSeconds(1));
                        List<QueuedMessage> ack = new ArrayList<>();
                        for (QueuedMessage m : messages) {
                            long t0 = System.nanoTime();
                            if (TaskMessage.parse(m.body()) instanceof TaskMessage.Parsed parsed) {
                                boolean all = true;
                                for (TaskRequest r : parsed.requests()) {
                                    all &= handler.handle(r);
                                }
                                if (all) {
                                    ack.add(m);
                                    latencies.put(m.messageId(), System.nanoTime() - t0);
                                }
                            }
                        }
                        if (!ack.isEmpty()) {
                            queue.delete(ack);
                            done.addAndGet(ack.size());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] sorted = latencies.values().stream().mapToLong(Long::longValue).sorted().toArray();
        return new Measurement(name, segments.size(), seconds, Measurement.percentile(sorted, 0.5),
                Measurement.percentile(sorted, 0.99), -1);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } finally {
            try {
                pg.close();
            } finally {
                sqs.close();
            }
        }
    }
}
