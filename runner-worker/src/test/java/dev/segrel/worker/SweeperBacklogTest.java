package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.domain.Span;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.SweepStranded;
import dev.segrel.core.port.in.SweepStranded.SweepReport;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.QueueAdmin.QueueStats;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.sqs.SqsQueueAdmin;
import dev.segrel.sqs.SqsTaskQueue;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.queue.TestingSqs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sweeper over the real store and queue (PostgreSQL, the SQS protocol of ElasticMQ), with an
 * injected clock: a backlog older than the stranded period whose messages are all queued is left alone,
 * and when messages were really lost exactly the shortfall is sent, capped per sweep (item 4).
 */
class SweeperBacklogTest {

    private static final int BACKLOG = 5_000;
    private static final Duration STRANDED_AFTER = Duration.ofMinutes(15);

    private Postgres postgres;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final WorkerMetrics metrics = new WorkerMetrics(clock);
    private SqsTaskQueue queue;
    private SqsQueueAdmin admin;
    private SweepStranded sweeper;

    @AfterEach
    void close() {
        postgres.close();
    }

    /** A store and a queue of their own (the sweeper compares every task of the store with one queue). */
    @BeforeEach
    void aJobWhoseEveryMessageIsQueued() {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        postgres = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(2));
        postgres.migrator().migrate();
        QueueUrls queues = TestingSqs.createQueues("backlog");
        queue = new SqsTaskQueue(TestingSqs.client(), queues.queue(), Optional.of(queues.deadLetter()),
                Duration.ofSeconds(30));
        admin = new SqsQueueAdmin(TestingSqs.client(), queues.queue(), Optional.of(queues.deadLetter()));
        sweeper = SegmentRelations.sweepStranded(postgres.recovery(), postgres.claims(), postgres.completions(), queue,
                admin, new GraphFixture().toInMemoryGraph(), clock, new SweepStranded.Limits(STRANDED_AFTER, 500, 1));
        JobId job = JobId.random();
        List<NewTask> tasks = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < BACKLOG; i++) {
            Span span = new Span(i * 10, i * 10 + 10);
            tasks.add(new NewTask("S" + i, span));
            bodies.add(TaskMessage.toSingleJson(new TaskRequest(job, "M1", "S" + i, span)));
        }
        postgres.jobs().createJob(new Jobs.NewJob(job, "M1", tasks), clock.instant());
        queue.send(bodies);
    }

    private long depth() {
        QueueStats stats = admin.stats();
        return stats.visible() + stats.inFlight() + stats.delayed();
    }

    private SweepReport sweep() {
        SweepReport report = sweeper.sweepOnce();
        metrics.swept(report);
        return report;
    }

    private double redispatched(String cause) {
        return Scrape.of(metrics.scrape()).value("segrel_sweeper_redispatched_total", "cause", cause);
    }

    @Test
    void aBacklogOlderThanTheThresholdWithAllItsMessagesQueuedGetsNothing() {
        clock.advance(STRANDED_AFTER.multipliedBy(4));

        SweepReport report = sweep();

        assertThat(report).isEqualTo(new SweepReport(0, 0, 0, 0, 0, 0));
        assertThat(depth()).as("queue depth unchanged").isEqualTo(BACKLOG);
        assertThat(redispatched("queue_short")).isZero();
    }

    @Test
    void whenMessagesWereLostExactlyTheShortfallIsSentCappedPerSweep() {
        int lost = 0;
        while (lost < 1_200) {
            List<TaskQueue.QueuedMessage> got = queue.receive(TaskQueue.MAX_BATCH, Duration.ZERO);
            List<TaskQueue.QueuedMessage> take = got.subList(0, Math.min(got.size(), 1_200 - lost));
            queue.delete(take);
            queue.changeVisibility(got.subList(take.size(), got.size()), Duration.ZERO);
            lost += take.size();
        }
        assertThat(depth()).isEqualTo(BACKLOG - 1_200);
        clock.advance(STRANDED_AFTER.plusMinutes(1));

        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sent.add(sweep().sentQueueShort());
            clock.advance(Duration.ofMinutes(1));
        }

        assertThat(sent).containsExactly(500, 500, 200, 0);
        assertThat(depth()).as("a message per task again").isEqualTo(BACKLOG);
        assertThat(redispatched("queue_short")).isEqualTo(1_200);
        assertThat(redispatched("lease_expired")).isZero();
    }
}
