package dev.segrel.worker;

import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Span;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.sqs.SqsTaskQueue;
import dev.segrel.testkit.graph.TestingNeo4j;
import dev.segrel.testkit.graph.ThreeTextCanon;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.queue.TestingSqs;
import dev.segrel.testkit.time.Awaiting;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Throughput of ONE worker, end to end (SQS receive, claim, BFS on Neo4j, store, acknowledge), on
 * the in-process servers. Not a test: run it by hand (see docs/benchmarks.md).
 *
 * <p>Arguments: {@code [segments (default 2000)] [concurrency (default 16)]}.
 */
public final class WorkerThroughputBenchmark {

    private WorkerThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        int segments = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        TestingNeo4j neo4j = TestingNeo4j.get();
        neo4j.reset();
        neo4j.load(ThreeTextCanon.of(segments));
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        QueueUrls queues = TestingSqs.createQueues("bench");
        try (Postgres postgres = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(2))) {
            postgres.migrator().migrate();
            JobId job = JobId.random();
            List<NewTask> tasks = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < segments; i++) {
                Span span = new Span(i * 10, i * 10 + 10);
                tasks.add(new NewTask("r" + i, span));
                bodies.add(TaskMessage.toSingleJson(new TaskRequest(job, "R", "r" + i, span)));
            }
            postgres.jobs().createJob(new Jobs.NewJob(job, "R", tasks), Instant.now());
            new SqsTaskQueue(TestingSqs.client(), queues.queue(), Optional.of(queues.deadLetter()),
                    Duration.ofSeconds(60)).send(bodies);

            Settings settings = WorkerEndToEndTest.settings(queues, schema.jdbcUrl()).with(Map.of(
                    "SEGREL_CONCURRENCY", Integer.toString(concurrency),
                    "SEGREL_POSTGRES_POOL_SIZE", Integer.toString(Math.min(concurrency, 16)),
                    "LOG_LEVEL", "WARN"));
            long started = System.nanoTime();
            WorkerApp worker = WorkerApp.start(settings);
            JobStatus status;
            try {
                status = WorkerEndToEndTest.awaitFinished(postgres.jobs(), job, Duration.ofHours(1));
            } finally {
                worker.stop(Duration.ofSeconds(30));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "one worker, concurrency %d: %d segments (%s) in %.1f s = %.1f segments/s%n",
                    concurrency, segments, status.state(), seconds, segments / seconds);
            System.out.printf(Locale.ROOT,
                    "{\"segments\":%d,\"concurrency\":%d,\"seconds\":%.2f,\"segments_per_second\":%.1f}%n",
                    segments, concurrency, seconds, segments / seconds);
        }
        System.exit(0);
    }
}
