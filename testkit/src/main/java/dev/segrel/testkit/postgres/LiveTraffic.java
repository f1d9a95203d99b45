package dev.segrel.testkit.postgres;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The deployed producer and a reader running against a deployed layout's tables while something else (a
 * migration) works on them: the producer inserts job rows (and, in the readme and v1 layouts, their task
 * rows) exactly as {@link DeployedTables#submit} does, one transaction per job, and a reader keeps selecting
 * the newest jobs and a job's tasks. Every statement's time is recorded, so a test can say how long the
 * live system waited. Plain JDBC; nothing of segrel. Start with {@link #start}, stop with {@link #close}.
 */
public final class LiveTraffic implements AutoCloseable {

    private static final String UTC_NOW = "(now() at time zone 'utc')";

    private final TestingPostgres.Schema schema;
    private final DeployedTables.Layout layout;
    private final int segmentsPerJob;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong jobs = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Long> producerNanos = new ArrayList<>();
    private final List<Long> readerNanos = new ArrayList<>();
    private final Thread producer;
    private final Thread reader;

    /**
     * What the statements waited.
     *
     * @param statements how many were timed
     * @param maxMillis the longest
     * @param p99Millis the 99th percentile
     */
    public record Latencies(int statements, double maxMillis, double p99Millis) {}

    private LiveTraffic(TestingPostgres.Schema schema, DeployedTables.Layout layout, int segmentsPerJob) {
        this.schema = schema;
        this.layout = layout;
        this.segmentsPerJob = segmentsPerJob;
        this.producer = Thread.ofPlatform().name("live-producer").daemon().unstarted(this::produce);
        this.reader = Thread.ofPlatform().name("live-reader").daemon().unstarted(this::read);
    }

    /** Starts the producer and the reader on {@code schema}'s {@code layout} tables. */
    public static LiveTraffic start(TestingPostgres.Schema schema, DeployedTables.Layout layout, int segmentsPerJob) {
        requireNonNull(schema, "schema is null");
        requireNonNull(layout, "layout is null");
        if (segmentsPerJob < 1) {
            throw new IllegalArgumentException("segmentsPerJob must be >= 1, was " + segmentsPerJob);
        }
        LiveTraffic traffic = new LiveTraffic(schema, layout, segmentsPerJob);
        traffic.producer.start();
        traffic.reader.start();
        return traffic;
    }

    /**
     * Fills {@code layout}'s empty tables fast ({@code generate_series}, one statement each): {@code jobs}
     * QUEUED-or-running jobs of {@code tasksPerJob} task rows, a quarter COMPLETED with a result, a quarter
     * IN_PROGRESS (as a deployed worker leaves them), the rest QUEUED; counters as the deployed worker left them.
     */
    public static void fill(TestingPostgres.Schema schema, DeployedTables.Layout layout, int jobs, int tasksPerJob) {
        requireNonNull(schema, "schema is null");
        requireNonNull(layout, "layout is null");
        boolean current = layout == DeployedTables.Layout.CURRENT;
        String text = current ? "text_id" : "manifestation_id";
        String taskJob = current ? "root_job_id" : "job_id";
        String status = "CASE i % 4 WHEN 0 THEN 'COMPLETED' WHEN 1 THEN 'IN_PROGRESS' ELSE 'QUEUED' END";
        if (layout == DeployedTables.Layout.README) {
            status = "CAST(" + status + " AS taskstatus)";
        }
        schema.execute(
                "INSERT INTO " + layout.jobTable() + " (job_id, " + text + ", total_segments, completed_segments, status,"
                        + " created_at, updated_at) SELECT md5('job' || j)::uuid, 'M' || j, " + tasksPerJob + ", "
                        + tasksPerJob / 4 + ", " + (layout == DeployedTables.Layout.README ? "'IN_PROGRESS'::jobstatus"
                                : "'IN_PROGRESS'") + ", " + UTC_NOW + ", " + UTC_NOW
                        + " FROM generate_series(1, " + jobs + ") j",
                "INSERT INTO " + layout.taskTable() + " (task_id, " + taskJob + (current ? ", text_id" : "")
                        + ", segment_id, status, result_json, created_at, updated_at)"
                        + " SELECT gen_random_uuid(), md5('job' || (i / " + tasksPerJob + " + 1))::uuid"
                        + (current ? ", 'M' || (i / " + tasksPerJob + " + 1)" : "") + ", 's' || (i % " + tasksPerJob + "), "
                        + status + ", CASE WHEN i % 4 = 0 THEN '[]'::jsonb END, " + UTC_NOW + ", " + UTC_NOW
                        + " FROM generate_series(0, " + ((long) jobs * tasksPerJob - 1) + ") i",
                "ANALYZE " + layout.jobTable(),
                "ANALYZE " + layout.taskTable());
    }

    /** Jobs the producer has committed so far. */
    public long jobs() {
        return jobs.get();
    }

    /** Reads done so far. */
    public long reads() {
        return reads.get();
    }

    /** The producer's statements (each INSERT and each COMMIT) so far. */
    public Latencies producer() {
        return latencies(producerNanos);
    }

    /** The reader's SELECTs so far. */
    public Latencies reader() {
        return latencies(readerNanos);
    }

    /** What stopped the producer or the reader, if anything did. */
    public Throwable failure() {
        return failure.get();
    }

    private void produce() {
        String text = layout == DeployedTables.Layout.CURRENT ? "text_id" : "manifestation_id";
        try (Connection c = schema.connect();
                PreparedStatement job = c.prepareStatement("INSERT INTO " + layout.jobTable() + " (job_id, " + text
                        + ", total_segments, completed_segments, status, created_at, updated_at) VALUES (?, ?, ?, 0,"
                        + " 'QUEUED', " + UTC_NOW + ", " + UTC_NOW + ")");
                PreparedStatement tasks = c.prepareStatement("INSERT INTO " + layout.taskTable()
                        + " (task_id, job_id, segment_id, status, created_at, updated_at) VALUES (?, ?, ?, 'QUEUED', "
                        + UTC_NOW + ", " + UTC_NOW + ")")) {
            c.setAutoCommit(false);
            while (running.get()) {
                UUID id = UUID.randomUUID();
                job.setObject(1, id);
                job.setString(2, "LIVE-" + jobs.get());
                job.setInt(3, segmentsPerJob);
                timed(producerNanos, () -> job.executeUpdate());
                if (layout != DeployedTables.Layout.CURRENT) {
                    for (int i = 0; i < segmentsPerJob; i++) {
                        tasks.setObject(1, UUID.randomUUID());
                        tasks.setObject(2, id);
                        tasks.setString(3, "live-" + i);
                        tasks.addBatch();
                    }
                    timed(producerNanos, () -> tasks.executeBatch());
                }
                timedVoid(producerNanos, c::commit);
                jobs.incrementAndGet();
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private void read() {
        String text = layout == DeployedTables.Layout.CURRENT ? "text_id" : "manifestation_id";
        String taskJob = layout == DeployedTables.Layout.CURRENT ? "root_job_id" : "job_id";
        try (Connection c = schema.connect();
                PreparedStatement newest = c.prepareStatement("SELECT job_id, " + text + ", status, completed_segments FROM "
                        + layout.jobTable() + " ORDER BY created_at DESC LIMIT 10");
                PreparedStatement ofJob = c.prepareStatement("SELECT segment_id, status FROM " + layout.taskTable()
                        + " WHERE " + taskJob + " = ?")) {
            while (running.get()) {
                List<Object> ids = new ArrayList<>();
                timed(readerNanos, () -> {
                    try (ResultSet rs = newest.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getObject(1));
                        }
                    }
                    return null;
                });
                if (!ids.isEmpty()) {
                    ofJob.setObject(1, ids.getFirst());
                    timed(readerNanos, () -> {
                        try (ResultSet rs = ofJob.executeQuery()) {
                            while (rs.next()) {
                                rs.getString(1);
                            }
                        }
                        return null;
                    });
                }
                reads.incrementAndGet();
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private interface Statement {
        Object run() throws SQLException;
    }

    private interface Commit {
        void run() throws SQLException;
    }

    private static void timedVoid(List<Long> into, Commit commit) throws SQLException {
        timed(into, () -> {
            commit.run();
            return null;
        });
    }

    private static void timed(List<Long> into, Statement statement) throws SQLException {
        long start = System.nanoTime();
        statement.run();
        long took = System.nanoTime() - start;
        synchronized (into) {
            into.add(took);
        }
    }

    private static Latencies latencies(List<Long> nanos) {
        long[] sorted;
        synchronized (nanos) {
            sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        }
        if (sorted.length == 0) {
            return new Latencies(0, 0, 0);
        }
        Arrays.sort(sorted);
        int p99 = (int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1);
        return new Latencies(sorted.length, sorted[sorted.length - 1] / 1e6, sorted[Math.max(0, p99)] / 1e6);
    }

    /** Stops both and waits for them; throws what stopped either of them early. */
    @Override
    public void close() {
        running.set(false);
        try {
            producer.join();
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Throwable e = failure.get();
        if (e != null) {
            throw new IllegalStateException("live traffic failed: " + e.getMessage(), e);
        }
    }
}
