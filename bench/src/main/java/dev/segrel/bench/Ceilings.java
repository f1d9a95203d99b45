package dev.segrel.bench;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Segment;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.sqs.SqsTaskQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What each server alone can do with the job, nothing else in the way: the limits the end-to-end rows are
 * compared with.
 *
 * <ul>
 *   <li>{@link #queue}: the SQS server receiving (10 at a time, long poll) and deleting (one delete-batch per
 *       receive) the job's messages, already in the queue, with {@code workers} threads.
 *   <li>{@link #store}: PostgreSQL writing the job's precomputed results into {@code segment_task}, one
 *       multi-row {@code INSERT … SELECT … FROM unnest(…)} of {@value #STORE_ROWS} segments per statement,
 *       each statement its own transaction, with {@code workers} threads.
 * </ul>
 *
 * p50/p99 are per round: one receive plus its delete, or one statement.
 */
final class Ceilings {

    /** Segments per store statement: the batch size of the deployed producer's messages. */
    static final int STORE_ROWS = 500;

    private static final String STORE = """
            INSERT INTO segment_task (job_id, segment_id, span_start, span_end, status, result_json, created_at, updated_at)
            SELECT ?, u.segment_id, u.span_start, u.span_end, 'COMPLETED'::taskstatus, CAST(u.result AS jsonb), now(), now()
            FROM unnest(?::text[], ?::int[], ?::int[], ?::text[]) AS u(segment_id, span_start, span_end, result)""";

    private Ceilings() {}

    /**
     * Receives and deletes {@code bodies} (sent beforehand, untimed) with {@code workers} threads; the rate
     * counts {@code segments} (all the bodies carry) over the time until the last delete returned.
     */
    static Measurement queue(String name, PipelineServers servers, List<String> bodies, int segments, int workers)
            throws Exception {
        QueueUrls urls = servers.queues("queue-ceiling");
        SqsClient sqs = servers.sqs().client();
        sendParallel(new SqsTaskQueue(sqs, urls.queue(), Optional.empty(), Duration.ofSeconds(60)), bodies, workers);
        String url = urls.queue();
        AtomicInteger done = new AtomicInteger();
        AtomicLong finished = new AtomicLong();
        ConcurrentLinkedQueue<Long> rounds = new ConcurrentLinkedQueue<>();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    while (done.get() < bodies.size()) {
                        long t0 = System.nanoTime();
                        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                                .waitTimeSeconds(1).visibilityTimeout(60)).messages();
                        if (messages.isEmpty()) {
                            continue;
                        }
                        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
                        for (int i = 0; i < messages.size(); i++) {
                            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                                    .receiptHandle(messages.get(i).receiptHandle()).build());
                        }
                        sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(entries));
                        long now = System.nanoTime();
                        rounds.add(now - t0);
                        if (done.addAndGet(messages.size()) >= bodies.size()) {
                            finished.accumulateAndGet(now, Math::max);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        return measurement(name, segments, (finished.get() - started) / 1e9, rounds);
    }

    /**
     * Writes the precomputed {@code results} (result JSON by segment id) of {@code segments} as COMPLETED tasks
     * of a fresh job (its {@code root_job} row made first, untimed), {@value #STORE_ROWS} rows a statement.
     */
    static Measurement store(String name, PipelineServers servers, String manifestation, List<Segment> segments,
            Map<String, String> results, int workers) throws Exception {
        JobId job = JobId.random();
        servers.createDeployedJob(job, manifestation, segments.size());
        List<Object[][]> chunks = new ArrayList<>();
        for (int from = 0; from < segments.size(); from += STORE_ROWS) {
            List<Segment> part = segments.subList(from, Math.min(segments.size(), from + STORE_ROWS));
            Object[][] columns = {new String[part.size()], new Integer[part.size()], new Integer[part.size()],
                new String[part.size()]};
            for (int i = 0; i < part.size(); i++) {
                Segment s = part.get(i);
                columns[0][i] = s.id();
                columns[1][i] = s.span().start();
                columns[2][i] = s.span().end();
                columns[3][i] = results.get(s.id());
            }
            chunks.add(columns);
        }
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<Long> rounds = new ConcurrentLinkedQueue<>();
        // connections are taken before the clock starts: the pool's warm-up is not the store's work
        List<Connection> connections = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                Connection c = servers.postgres().dataSource().getConnection();
                c.setAutoCommit(true);
                connections.add(c);
            }
            long started = System.nanoTime();
            try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
                List<Future<?>> running = new ArrayList<>();
                for (Connection c : connections) {
                    running.add(pool.submit(() -> {
                        try (PreparedStatement s = c.prepareStatement(STORE)) {
                            for (int i = next.getAndIncrement(); i < chunks.size(); i = next.getAndIncrement()) {
                                long t0 = System.nanoTime();
                                Object[][] columns = chunks.get(i);
                                s.setObject(1, job.value());
                                s.setArray(2, c.createArrayOf("text", columns[0]));
                                s.setArray(3, c.createArrayOf("int4", columns[1]));
                                s.setArray(4, c.createArrayOf("int4", columns[2]));
                                s.setArray(5, c.createArrayOf("text", columns[3]));
                                s.executeUpdate();
                                rounds.add(System.nanoTime() - t0);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            }
            return measurement(name, segments.size(), (System.nanoTime() - started) / 1e9, rounds);
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    /** Sends {@code bodies} with {@code threads} producers at once (the adapter sends 10 per call). */
    static void sendParallel(SqsTaskQueue queue, List<String> bodies, int threads) throws Exception {
        int per = Math.max(10, (bodies.size() + threads - 1) / threads);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> running = new ArrayList<>();
            for (int from = 0; from < bodies.size(); from += per) {
                List<String> part = bodies.subList(from, Math.min(bodies.size(), from + per));
                running.add(pool.submit(() -> {
                    queue.send(part);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
    }

    private static Measurement measurement(String name, int segments, double seconds, ConcurrentLinkedQueue<Long> rounds) {
        long[] sorted = rounds.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Measurement(name, segments, seconds, Measurement.percentile(sorted, 0.5),
                Measurement.percentile(sorted, 0.99), -1);
    }
}
