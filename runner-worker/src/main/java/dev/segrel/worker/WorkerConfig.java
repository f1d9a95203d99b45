package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.port.in.SweepStranded;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The worker's own settings (the adapters have theirs).
 *
 * @param workerId this process's name in leases ({@code SEGREL_WORKER_ID}, default host-pid-random)
 * @param concurrency tasks in flight at most ({@code SEGREL_CONCURRENCY}, default 16)
 * @param retry attempts and backoff ({@code SEGREL_MAX_ATTEMPTS} 5, {@code SEGREL_RETRY_BASE_MS} 2000,
 *     {@code SEGREL_RETRY_MAX_MS} 300000)
 * @param shutdownGrace how long SIGTERM waits for tasks in flight ({@code SEGREL_SHUTDOWN_GRACE_SECONDS} 20: with the stop's own few seconds after it, inside an orchestrator's 30 s)
 * @param httpPort health and metrics port ({@code SEGREL_HTTP_PORT} 8080; 0 picks a free port; -1 disables)
 * @param sweepInterval how often the sweeper runs ({@code SEGREL_SWEEP_INTERVAL_SECONDS} 60)
 * @param strandedAfter a QUEUED/RETRYING task untouched this long is re-dispatched
 *     ({@code SEGREL_STRANDED_AFTER_SECONDS} 900)
 * @param relayInterval how often the outbox relay runs ({@code SEGREL_RELAY_INTERVAL_MS} 1000)
 * @param receivers receive loops polling the task queue side by side ({@code SEGREL_RECEIVERS} 2)
 * @param maxResultsInMemory segments' results held in memory at most, across every message in hand
 *     ({@code SEGREL_MAX_RESULTS_IN_MEMORY}, default a quarter of the heap at 64 KiB a result, within
 *     64..8192)
 * @param sweepMaxPerRun tasks the sweeper re-sends per sweep at most ({@code SEGREL_SWEEP_MAX_PER_RUN} 500)
 * @param sweepTasksPerMessage the most tasks one task message may carry, for the sweeper's comparison of
 *     waiting tasks with the queue's messages ({@code SEGREL_SWEEP_TASKS_PER_MESSAGE} 500; 1 where every
 *     producer sends single-segment messages)
 * @param httpHost the address the health and metrics server binds ({@code SEGREL_HTTP_HOST}, default
 *     {@code 127.0.0.1}: only this host; {@code 0.0.0.0} exposes it, as a container's probes need)
 * @param relayLease how long the outbox relay holds a message it took ({@code SEGREL_RELAY_LEASE_MS}; empty,
 *     the default, is twice the completion publisher's call timeout and 30 s: 60 s); it must be longer
 *     than that call timeout (15 s), or the worker does not start
 * @param maxResultBytesInMemory bytes of computed results held in memory at most, across every message in
 *     hand ({@code SEGREL_MAX_RESULT_BYTES_IN_MEMORY}, default a quarter of the heap, at least 16 MiB)
 */
public record WorkerConfig(
        String workerId,
        int concurrency,
        RetryPolicy retry,
        Duration shutdownGrace,
        int httpPort,
        Duration sweepInterval,
        Duration strandedAfter,
        Duration relayInterval,
        int receivers,
        int maxResultsInMemory,
        int sweepMaxPerRun,
        int sweepTasksPerMessage,
        String httpHost,
        Optional<Duration> relayLease,
        long maxResultBytesInMemory) {

    static final int DEFAULT_RECEIVERS = 2;
    static final int DEFAULT_SWEEP_MAX_PER_RUN = 500;
    static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    /** Default grace: with {@link Worker#STOP_BUDGET} after it, a stop ends within an orchestrator's 30 s. */
    static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(20);

    public WorkerConfig {
        requireNonNull(workerId, "workerId is null");
        requireNonNull(retry, "retry is null");
        requireNonNull(shutdownGrace, "shutdownGrace is null");
        requireNonNull(sweepInterval, "sweepInterval is null");
        requireNonNull(strandedAfter, "strandedAfter is null");
        requireNonNull(relayInterval, "relayInterval is null");
        requireNonNull(relayLease, "relayLease is null");
        if (workerId.isBlank()) {
            throw new IllegalArgumentException("workerId is blank");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must be >= 0, was " + shutdownGrace);
        }
        if (httpPort < -1 || httpPort > 65_535) {
            throw new IllegalArgumentException("httpPort must be -1 (off), 0 (any) or a port up to 65535, was " + httpPort);
        }
        positive("sweepInterval", sweepInterval);
        positive("strandedAfter", strandedAfter);
        positive("relayInterval", relayInterval);
        relayLease.ifPresent(lease -> positive("relayLease", lease));
        if (receivers < 1) {
            throw new IllegalArgumentException("receivers must be >= 1, was " + receivers);
        }
        if (maxResultsInMemory < 1) {
            throw new IllegalArgumentException("maxResultsInMemory must be >= 1, was " + maxResultsInMemory);
        }
        if (sweepMaxPerRun < 1) {
            throw new IllegalArgumentException("sweepMaxPerRun must be >= 1, was " + sweepMaxPerRun);
        }
        if (sweepTasksPerMessage < 1) {
            throw new IllegalArgumentException("sweepTasksPerMessage must be >= 1, was " + sweepTasksPerMessage);
        }
        if (maxResultBytesInMemory < 1) {
            throw new IllegalArgumentException("maxResultBytesInMemory must be >= 1, was " + maxResultBytesInMemory);
        }
        requireNonNull(httpHost, "httpHost is null");
        if (!validHost(httpHost)) {
            throw new IllegalArgumentException("httpHost must be an IP address or a host name, was '"
                    + httpHost.replaceAll("[^A-Za-z0-9.:_-]", "?") + "'");
        }
    }

    /** With the sweeper's default limits, bound to {@link #DEFAULT_HTTP_HOST}, the relay's lease derived from its publisher. */
    public WorkerConfig(String workerId, int concurrency, RetryPolicy retry, Duration shutdownGrace, int httpPort,
            Duration sweepInterval, Duration strandedAfter, Duration relayInterval, int receivers,
            int maxResultsInMemory) {
        this(workerId, concurrency, retry, shutdownGrace, httpPort, sweepInterval, strandedAfter, relayInterval,
                receivers, maxResultsInMemory, DEFAULT_SWEEP_MAX_PER_RUN, SweepStranded.Limits.BATCH_TASKS,
                DEFAULT_HTTP_HOST, Optional.empty(), defaultMaxResultBytesInMemory());
    }

    /** The sweeper's limits. */
    public SweepStranded.Limits sweepLimits() {
        return new SweepStranded.Limits(strandedAfter, sweepMaxPerRun, sweepTasksPerMessage);
    }

    /** With the default receive loops and result budget. */
    public WorkerConfig(String workerId, int concurrency, RetryPolicy retry, Duration shutdownGrace, int httpPort,
            Duration sweepInterval, Duration strandedAfter, Duration relayInterval) {
        this(workerId, concurrency, retry, shutdownGrace, httpPort, sweepInterval, strandedAfter, relayInterval,
                DEFAULT_RECEIVERS, defaultMaxResultsInMemory());
    }

    static long defaultMaxResultBytesInMemory() {
        return SegmentRelations.defaultMaxResultBytesInMemory(Runtime.getRuntime().maxMemory());
    }

    static int defaultMaxResultsInMemory() {
        return SegmentRelations.defaultMaxResultsInMemory(Runtime.getRuntime().maxMemory());
    }

    /** Reads the keys above, recording every problem in {@code reader} (a bad value reads as its default). */
    public static WorkerConfig read(ConfigReader reader) {
        String workerId = reader.string("SEGREL_WORKER_ID", defaultWorkerId());
        int concurrency = reader.intValue("SEGREL_CONCURRENCY", 16, 1, 1024);
        int maxAttempts = reader.intValue("SEGREL_MAX_ATTEMPTS", 5, 1, 100);
        Duration base = reader.millis("SEGREL_RETRY_BASE_MS", Duration.ofSeconds(2), 1, 3_600_000);
        Duration max = reader.millis("SEGREL_RETRY_MAX_MS", Duration.ofMinutes(5), 1, 43_200_000);
        if (max.compareTo(base) < 0) {
            reader.problem("SEGREL_RETRY_MAX_MS must be >= SEGREL_RETRY_BASE_MS, was " + max.toMillis() + " < "
                    + base.toMillis());
            max = base;
        }
        Duration grace = reader.seconds("SEGREL_SHUTDOWN_GRACE_SECONDS", DEFAULT_SHUTDOWN_GRACE, 0, 3600);
        int httpPort = reader.intValue("SEGREL_HTTP_PORT", 8080, -1, 65535);
        Duration sweep = reader.seconds("SEGREL_SWEEP_INTERVAL_SECONDS", Duration.ofSeconds(60), 1, 86_400);
        Duration stranded = reader.seconds("SEGREL_STRANDED_AFTER_SECONDS", Duration.ofMinutes(15), 1, 604_800);
        Duration relay = reader.millis("SEGREL_RELAY_INTERVAL_MS", Duration.ofSeconds(1), 10, 3_600_000);
        int receivers = reader.intValue("SEGREL_RECEIVERS", DEFAULT_RECEIVERS, 1, 64);
        int maxResults = reader.intValue("SEGREL_MAX_RESULTS_IN_MEMORY", defaultMaxResultsInMemory(), 1, 1_000_000);
        int sweepMax = reader.intValue("SEGREL_SWEEP_MAX_PER_RUN", DEFAULT_SWEEP_MAX_PER_RUN, 1, 100_000);
        int tasksPerMessage = reader.intValue("SEGREL_SWEEP_TASKS_PER_MESSAGE", SweepStranded.Limits.BATCH_TASKS, 1,
                100_000);
        String httpHost = reader.string("SEGREL_HTTP_HOST", DEFAULT_HTTP_HOST,
                value -> validHost(value) ? java.util.Optional.empty()
                        : java.util.Optional.of("must be an IP address (0.0.0.0 for every interface) or a host name"));
        // zero is "not set": the relay derives its lease from its publisher's call timeout
        Duration lease = reader.millis("SEGREL_RELAY_LEASE_MS", Duration.ZERO, 1_000, 86_400_000);
        long maxResultBytes = reader.longValue("SEGREL_MAX_RESULT_BYTES_IN_MEMORY", defaultMaxResultBytesInMemory(), 1,
                Long.MAX_VALUE, "a number of bytes", "a positive number of bytes");
        return new WorkerConfig(workerId, concurrency, new RetryPolicy(maxAttempts, base, max), grace, httpPort,
                sweep, stranded, relay, receivers, maxResults, sweepMax, tasksPerMessage, httpHost,
                lease.isZero() ? Optional.empty() : Optional.of(lease), maxResultBytes);
    }

    private static boolean validHost(String host) {
        return host.matches("[A-Za-z0-9._-]{1,253}|\\[?[0-9A-Fa-f:.]{2,45}]?");
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    static String defaultWorkerId() {
        String runtime = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
        return runtime.replace('@', '-') + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
