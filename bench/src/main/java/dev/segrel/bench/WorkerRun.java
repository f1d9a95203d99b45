package dev.segrel.bench;

import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.json.JsonLimits;
import dev.segrel.core.json.JsonReader;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.devstack.sqs.EmbeddedSqs;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.sqs.SqsTaskQueue;
import dev.segrel.worker.WorkerApp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The real worker ({@link WorkerApp}, what {@code segrel worker} runs: receive loop, heartbeat, outbox relay,
 * sweeper) in this JVM, on its own queue trio of the shared servers, against the bench's Neo4j as the default
 * graph and as the graph of the batches' environment {@value #ENVIRONMENT}. A job is timed from its first
 * message sent until its last completion message was read off the completed queue, so the relay is inside it.
 */
final class WorkerRun implements AutoCloseable {

    /** The batches' {@code source_environment}: its graph is the bench's Neo4j ({@code BENCH_NEO4J_URI}). */
    static final String ENVIRONMENT = "BENCH";
    /** Segments per batch message, as the deployed producer sends them. */
    static final int BATCH = 500;
    /** Messages in flight in the worker (its default). */
    static final int CONCURRENCY = 16;

    private static final JsonReader JSON = JsonReader.withLimits(JsonLimits.DEFAULT);
    private static final Duration DEADLINE = Duration.ofMinutes(15);

    private final PipelineServers servers;
    private final QueueUrls queues;
    private final SqsTaskQueue tasks;
    private final int producers;
    private final WorkerApp app;

    /**
     * @param receivers the worker's receive loops ({@code SEGREL_RECEIVERS}), and the producer's sending threads
     */
    WorkerRun(PipelineServers servers, String neo4jUri, int receivers, String name) {
        this.servers = servers;
        this.queues = servers.queues(name);
        this.producers = receivers;
        EmbeddedSqs sqs = servers.sqs();
        this.tasks = new SqsTaskQueue(sqs.client(), queues.queue(), Optional.empty(), Duration.ofSeconds(60));
        Map<String, String> values = new HashMap<>();
        values.putAll(sqs.settings(queues));
        values.put("NEO4J_URI", neo4jUri);
        values.put("NEO4J_USER", "neo4j");
        values.put("NEO4J_PASSWORD", "");
        values.put(ENVIRONMENT + "_NEO4J_URI", neo4jUri);
        values.put("POSTGRES_URL", servers.jdbcUrl());
        values.put("SEGREL_MIGRATE_ON_START", "true");
        values.put("SEGREL_HTTP_PORT", "-1");
        values.put("SEGREL_CONCURRENCY", Integer.toString(CONCURRENCY));
        // the number of receive loops: a setting being added on main; a worker without it ignores it
        values.put("SEGREL_RECEIVERS", Integer.toString(receivers));
        values.put("SEGREL_WORKER_ID", "segrel-bench-" + name);
        this.app = WorkerApp.start(Settings.of(values));
    }

    /** The single-format bodies of {@code segments}: one message per segment. */
    static List<String> singleBodies(JobId job, String manifestation, List<Segment> segments) {
        List<String> bodies = new ArrayList<>(segments.size());
        for (Segment s : segments) {
            bodies.add(TaskMessage.toSingleJson(new TaskRequest(job, manifestation, s.id(), s.span())));
        }
        return bodies;
    }

    /** The deployed producer's batch bodies of {@code segments}: {@value #BATCH} a message, numbered from 1. */
    static List<String> batchBodies(JobId job, String manifestation, List<Segment> segments) {
        List<String> bodies = new ArrayList<>();
        for (int from = 0, number = 1; from < segments.size(); from += BATCH, number++) {
            List<TaskRequest> requests = new ArrayList<>();
            for (Segment s : segments.subList(from, Math.min(segments.size(), from + BATCH))) {
                requests.add(new TaskRequest(job, manifestation, s.id(), s.span()));
            }
            bodies.add(TaskMessage.toBatchJson(requests, number, segments.size(), ENVIRONMENT, ENVIRONMENT));
        }
        return bodies;
    }

    /**
     * A job made as {@code segrel job create} makes it (the job and its tasks), then its single-format
     * {@code bodies}; until the job's completion message.
     */
    Measurement single(String name, String manifestation, JobId job, List<Segment> segments, List<String> bodies)
            throws Exception {
        List<NewTask> newTasks = segments.stream().map(s -> new NewTask(s.id(), s.span())).toList();
        servers.postgres().jobs().createJob(new Jobs.NewJob(job, manifestation, newTasks), Clock.systemUTC().instant());
        long started = System.nanoTime();
        Ceilings.sendParallel(tasks, bodies, producers);
        List<Long> latencies = awaitCompletions(started, body -> job.toString().equals(body.get("job_id")), 1);
        return measurement(name, segments.size(), latencies);
    }

    /**
     * A job as the deployed producer makes it (its {@code root_job} row, no tasks), then its batch
     * {@code bodies}; until every batch's completion message.
     */
    Measurement batch(String name, String manifestation, JobId job, List<Segment> segments, List<String> bodies)
            throws Exception {
        servers.createDeployedJob(job, manifestation, segments.size());
        long started = System.nanoTime();
        Ceilings.sendParallel(tasks, bodies, producers);
        List<Long> latencies = awaitCompletions(started, body -> job.toString().equals(body.get("root_job_id")),
                bodies.size());
        return measurement(name, segments.size(), latencies);
    }

    /**
     * Reads the completed queue until {@code expected} completion messages matching {@code ours} arrived;
     * returns when each did, in nanoseconds after {@code started}. Others (a warm-up's) are dropped.
     */
    private List<Long> awaitCompletions(long started, Predicate<Map<?, ?>> ours, int expected) {
        SqsClient sqs = servers.sqs().client();
        String url = queues.completed();
        List<Long> arrived = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (arrived.size() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("end to end: " + arrived.size() + " of " + expected
                        + " completion messages within " + DEADLINE.toMinutes() + " min");
            }
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
            long now = System.nanoTime();
            if (messages.isEmpty()) {
                continue;
            }
            for (Message m : messages) {
                if (JSON.parse(m.body()) instanceof Map<?, ?> body && ours.test(body)) {
                    arrived.add(now - started);
                }
            }
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(messages.get(i).receiptHandle()).build());
            }
            sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(entries));
        }
        return arrived;
    }

    private static Measurement measurement(String name, int segments, List<Long> arrivals) {
        long[] sorted = arrivals.stream().mapToLong(Long::longValue).sorted().toArray();
        double seconds = sorted[sorted.length - 1] / 1e9;
        // one completion message (single format): no distribution to speak of
        boolean spread = sorted.length > 1;
        return new Measurement(name, segments, seconds, spread ? Measurement.percentile(sorted, 0.5) : -1,
                spread ? Measurement.percentile(sorted, 0.99) : -1, -1);
    }

    @Override
    public void close() {
        app.stop(Duration.ofSeconds(30));
    }
}
