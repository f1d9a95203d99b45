package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.port.out.Backlog;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.QueueAdmin.QueueStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The gauges of what waits: the store's backlog (tasks waiting, the age of the oldest, unsent
 * completion messages, the age of the oldest) and the task queue's approximate depth. Their figures
 * come from {@link BacklogPoller}'s last poll, never from a scrape; a figure whose last poll failed,
 * or that no poll refreshed for {@link #STALE_AFTER}, reads NaN (Prometheus drops NaN samples from
 * most functions and alerts on {@code absent} or on the failure counter instead of on a stale value).
 * Ages are measured at scrape time, so they keep growing between polls. Thread-safe.
 */
final class BacklogGauges {

    /** A figure older than this is stale (the poller is stuck or gone): three missed polls. */
    static final Duration STALE_AFTER = BacklogPoller.INTERVAL.multipliedBy(3);

    private record Polled<T>(T value, Instant at) {}

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, AtomicReference<Double>> dependencies = new ConcurrentHashMap<>();
    private final Counter storeFailures;
    private final Counter queueFailures;
    private volatile Polled<Backlog.Snapshot> store;
    private volatile Polled<QueueStats> queue;
    private volatile Polled<Long> stuck;

    BacklogGauges(MeterRegistry registry, Clock clock) {
        this.registry = requireNonNull(registry, "registry is null");
        this.clock = requireNonNull(clock, "clock is null");
        storeGauge(registry, "segrel.backlog.tasks", "tasks waiting in the store (QUEUED or RETRYING)",
                s -> s.waitingTasks());
        storeGauge(registry, "segrel.backlog.oldest.task.age.seconds",
                "seconds since the longest-waiting task was made or sent back for a retry; 0 when none waits",
                s -> ageOf(s.oldestWaitingSince().orElse(null)));
        storeGauge(registry, "segrel.outbox.pending", "completion messages written and not sent yet",
                s -> s.pendingMessages());
        storeGauge(registry, "segrel.outbox.oldest.age.seconds",
                "seconds since the oldest unsent completion message was written; 0 when none is pending",
                s -> ageOf(s.oldestPendingSince().orElse(null)));
        Gauge.builder("segrel.outbox.stuck", this, g -> g.read(g.stuck, n -> n))
                .description("completion messages that failed " + Outbox.STUCK_AFTER_ATTEMPTS
                        + " deliveries: kept, tried again hourly; NaN when unknown")
                .register(registry);
        queueGauge(registry, "visible", q -> q.visible());
        queueGauge(registry, "in_flight", q -> q.inFlight());
        queueGauge(registry, "delayed", q -> q.delayed());
        Gauge.builder("segrel.dead_letter_queue.messages", this,
                        g -> g.read(g.queue, q -> q.deadLetterVisible().isPresent()
                                ? q.deadLetterVisible().getAsLong() : Double.NaN))
                .description("messages in the task queue's dead-letter queue (approximate); NaN when it has none")
                .register(registry);
        storeFailures = Counter.builder("segrel.backlog.poll.failures").tag("source", "store")
                .description("polls of the backlog that failed (the figures read NaN until the next success)")
                .register(registry);
        queueFailures = Counter.builder("segrel.backlog.poll.failures").tag("source", "queue")
                .description("polls of the backlog that failed (the figures read NaN until the next success)")
                .register(registry);
    }

    private void storeGauge(MeterRegistry registry, String name, String description,
            ToDoubleFunction<Backlog.Snapshot> figure) {
        Gauge.builder(name, this, g -> g.read(g.store, figure)).description(description).register(registry);
    }

    private void queueGauge(MeterRegistry registry, String state, ToDoubleFunction<QueueStats> figure) {
        Gauge.builder("segrel.queue.messages", this, g -> g.read(g.queue, figure))
                .description("messages in the task queue (approximate, as SQS counts them), by state")
                .tag("state", state)
                .register(registry);
    }

    /** Sets {@code segrel_dependency_up{dependency="name"}}: 1 when its readiness check passed, 0 when not, NaN before. */
    void dependency(String name, double up) {
        dependencies.computeIfAbsent(name, n -> {
            AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
            Gauge.builder("segrel.dependency.up", value, AtomicReference::get)
                    .description("1 when the dependency answered the worker's last readiness check, else 0")
                    .tag("dependency", n)
                    .strongReference(true)
                    .register(registry);
            return value;
        }).set(up);
    }

    void store(Backlog.Snapshot snapshot) {
        store = new Polled<>(requireNonNull(snapshot, "snapshot is null"), clock.instant());
    }

    /** The store's count of stuck outbox messages (see {@link Outbox#stuck()}). */
    void stuck(long count) {
        stuck = new Polled<>(count, clock.instant());
    }

    void storeFailed() {
        store = null;
        stuck = null;
        storeFailures.increment();
    }

    void queue(QueueStats stats) {
        queue = new Polled<>(requireNonNull(stats, "stats is null"), clock.instant());
    }

    void queueFailed() {
        queue = null;
        queueFailures.increment();
    }

    private <T> double read(Polled<T> polled, ToDoubleFunction<T> figure) {
        if (polled == null || Duration.between(polled.at(), clock.instant()).compareTo(STALE_AFTER) > 0) {
            return Double.NaN;
        }
        return figure.applyAsDouble(polled.value());
    }

    private double ageOf(Instant since) {
        if (since == null) {
            return 0;
        }
        return Math.max(0, Duration.between(since, clock.instant()).toMillis() / 1000.0);
    }
}
