package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.HandleTaskMessage;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.in.SweepStranded;
import dev.segrel.core.port.out.AlignmentGraphs;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.sqs.SqsTaskQueue;
import dev.segrel.testkit.graph.InMemoryAlignmentGraph;
import dev.segrel.testkit.outbox.InMemoryMessagePublisher;
import dev.segrel.testkit.postgres.TestingPostgres;
import dev.segrel.testkit.queue.TestingSqs;
import dev.segrel.testkit.time.Awaiting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * At stop, a message whose task waits for room in the result budget (it cannot start within the grace)
 * is visible on the queue again at once, unclaimed, instead of after the grace; the task computing goes
 * on and finishes within the grace; the given-back task is then done once by another worker. Real SQS
 * protocol (ElasticMQ) and PostgreSQL; the graph is gated so the first task stays in its search.
 */
class ShutdownGivesBackWaitingTest {

    private static final Duration VISIBILITY = Duration.ofSeconds(60);
    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(60));

    private final Clock clock = Clock.systemUTC();
    private final WorkerTest.GatedGraph graph =
            new WorkerTest.GatedGraph(InMemoryAlignmentGraph.of(WorkerFixtures.twoTexts()));

    private Worker worker(Postgres postgres, TaskQueue queue, String id) {
        // one result in memory at once: a second set waits for the first
        ProcessTask process = SegmentRelations.processTask(postgres.claims(), postgres.completions(),
                AlignmentGraphs.of(graph), RETRY, VISIBILITY, clock, WorkerFixtures.lowJitter(), 1);
        HandleTaskMessage handler = SegmentRelations.handleTaskMessage(process, postgres.batches(),
                postgres.rejectedMessages(), RETRY, clock, WorkerFixtures.lowJitter());
        SweepStranded idle = () -> new SweepStranded.SweepReport(0, 0, 0, 0);
        Worker worker = new Worker(new Worker.Parts(queue, handler, SegmentRelations.relayOutbox(postgres.outbox(),
                InMemoryMessagePublisher.completed(), clock, id), idle, new WorkerMetrics(), clock, id, 2,
                Duration.ofMillis(200), VISIBILITY, Duration.ofSeconds(1), Duration.ofHours(1)));
        worker.start();
        return worker;
    }

    private static String message(JobId job, int i) {
        return TaskMessage.toSingleJson(new TaskRequest(job, "M1", "S" + i, new Span(i * 10, i * 10 + 10)));
    }

    @Test
    void aMessageWaitingForRoomIsVisibleAgainAtOnceAndIsDoneOnceByTheNextWorker() throws Exception {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        QueueUrls queues = TestingSqs.createQueues("stop-waiting");
        JobId job = JobId.random();
        List<NewTask> tasks = List.of(new NewTask("S0", new Span(0, 10)), new NewTask("S1", new Span(10, 20)));
        try (Postgres postgres = Postgres.connect(PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(4))) {
            postgres.migrator().migrate();
            postgres.jobs().createJob(new Jobs.NewJob(job, "M1", tasks), Instant.now());
            TaskQueue queue = new SqsTaskQueue(TestingSqs.client(), queues.queue(), Optional.of(queues.deadLetter()),
                    Duration.ofSeconds(30));
            graph.gate = new CountDownLatch(1);
            Worker first = worker(postgres, queue, "w-first");
            CompletableFuture<Boolean> stopped = new CompletableFuture<>();
            try {
                queue.send(List.of(message(job, 0)));
                Awaiting.until(() -> graph.waiting.get(), n -> n == 1, Duration.ofSeconds(20));
                // sent apart, so it is a set of its own, waiting for the room S0 holds
                queue.send(List.of(message(job, 1)));
                Awaiting.until(first::inFlight, n -> n == 2, Duration.ofSeconds(20));
                assertThat(postgres.jobs().jobStatus(job).orElseThrow().inProgress()).as("S1 not claimed").isEqualTo(1);

                Thread.ofVirtual().start(() -> stopped.complete(first.stop(Duration.ofMinutes(2))));

                List<TaskQueue.QueuedMessage> back = Awaiting.until(() -> queue.receive(10, Duration.ofSeconds(1)),
                        m -> !m.isEmpty(), Duration.ofSeconds(20));
                assertThat(back).singleElement().extracting(TaskQueue.QueuedMessage::body).isEqualTo(message(job, 1));
                assertThat(stopped).as("given back before the grace ended").isNotDone();
                assertThat(graph.waiting.get()).as("S0 still computing").isEqualTo(1);
                queue.changeVisibility(back, Duration.ZERO);
            } finally {
                graph.gate.countDown();
            }
            assertThat(stopped.get()).as("S0 finished within the grace").isTrue();

            Worker next = worker(postgres, queue, "w-next");
            JobStatus status;
            try {
                status = WorkerEndToEndTest.awaitFinished(postgres.jobs(), job, Duration.ofSeconds(60));
            } finally {
                next.stop(Duration.ofSeconds(10));
            }
            assertThat(status.state()).isEqualTo(JobState.COMPLETED);
            assertThat(status.completedSegments()).isEqualTo(2);
            List<TaskDetail> done = new ArrayList<>();
            postgres.reads().forEachTask(job, done::add);
            assertThat(done).hasSize(2).allSatisfy(t -> {
                assertThat(t.state()).isEqualTo(TaskState.COMPLETED);
                assertThat(t.attempts()).as("each done once").isEqualTo(1);
            });
            assertThat(queue.receive(10, Duration.ZERO)).as("nothing left on the queue").isEmpty();
        }
    }
}
