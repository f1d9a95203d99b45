package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.domain.RetryPolicy;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;

/**
 * The worker's own settings (the adapters have theirs).
 *
 * @param workerId this process's name in leases ({@code SEGREL_WORKER_ID}, default host-pid-random)
 * @param concurrency tasks in flight at most ({@code SEGREL_CONCURRENCY}, default 16)
 * @param retry attempts and backoff ({@code SEGREL_MAX_ATTEMPTS} 5, {@code SEGREL_RETRY_BASE_MS} 2000,
 *     {@code SEGREL_RETRY_MAX_MS} 300000)
 * @param shutdownGrace how long SIGTERM waits for tasks in flight ({@code SEGREL_SHUTDOWN_GRACE_SECONDS} 30)
 * @param httpPort health and metrics port ({@code SEGREL_HTTP_PORT} 8080; 0 picks a free port; -1 disables)
 * @param sweepInterval how often the sweeper runs ({@code SEGREL_SWEEP_INTERVAL_SECONDS} 60)
 * @param strandedAfter a QUEUED/RETRYING task untouched this long is re-dispatched
 *     ({@code SEGREL_STRANDED_AFTER_SECONDS} 900)
 * @param relayInterval how often the outbox relay runs ({@code SEGREL_RELAY_INTERVAL_MS} 1000)
 * @param receivers receive loops polling the task queue side by side ({@code SEGREL_RECEIVERS} 2)
 * @param maxResultsInMemory segments' results held in memory at most, across every message in hand
 *     ({@code SEGREL_MAX_RESULTS_IN_MEMORY}, default a quarter of the heap at 64 KiB a result, within
 *     64..8192)
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
        int maxResultsInMemory) {

    static final int DEFAULT_RECEIVERS = 2;

    public WorkerConfig {
        requireNonNull(workerId, "workerId is null");
        requireNonNull(retry, "retry is null");
        requireNonNull(shutdownGrace, "shutdownGrace is null");
        requireNonNull(sweepInterval, "sweepInterval is null");
        requireNonNull(strandedAfter, "strandedAfter is null");
        requireNonNull(relayInterval, "relayInterval is null");
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
        if (receivers < 1) {
            throw new IllegalArgumentException("receivers must be >= 1, was " + receivers);
        }
        if (maxResultsInMemory < 1) {
            throw new IllegalArgumentException("maxResultsInMemory must be >= 1, was " + maxResultsInMemory);
        }
    }

    /** With the default receive loops and result budget. */
    public WorkerConfig(String workerId, int concurrency, RetryPolicy retry, Duration shutdownGrace, int httpPort,
            Duration sweepInterval, Duration strandedAfter, Duration relayInterval) {
        this(workerId, concurrency, retry, shutdownGrace, httpPort, sweepInterval, strandedAfter, relayInterval,
                DEFAULT_RECEIVERS, defaultMaxResultsInMemory());
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
        Duration grace = reader.seconds("SEGREL_SHUTDOWN_GRACE_SECONDS", Duration.ofSeconds(30), 0, 3600);
        int httpPort = reader.intValue("SEGREL_HTTP_PORT", 8080, -1, 65535);
        Duration sweep = reader.seconds("SEGREL_SWEEP_INTERVAL_SECONDS", Duration.ofSeconds(60), 1, 86_400);
        Duration stranded = reader.seconds("SEGREL_STRANDED_AFTER_SECONDS", Duration.ofMinutes(15), 1, 604_800);
        Duration relay = reader.millis("SEGREL_RELAY_INTERVAL_MS", Duration.ofSeconds(1), 10, 3_600_000);
        int receivers = reader.intValue("SEGREL_RECEIVERS", DEFAULT_RECEIVERS, 1, 64);
        int maxResults = reader.intValue("SEGREL_MAX_RESULTS_IN_MEMORY", defaultMaxResultsInMemory(), 1, 1_000_000);
        return new WorkerConfig(workerId, concurrency, new RetryPolicy(maxAttempts, base, max), grace, httpPort,
                sweep, stranded, relay, receivers, maxResults);
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
