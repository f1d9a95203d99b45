package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.port.in.HandleTaskMessage;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.core.port.in.SweepStranded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The worker's Prometheus metrics. Names end in {@code _total} for counters once scraped. Labels take
 * bounded values only (a {@link Reason} code, a configured environment, a cache, a result): never a
 * job, a segment or a message, so a fleet's series do not grow with its work.
 */
public final class WorkerMetrics {

    /**
     * The {@code environment} label of what is not an environment with a graph of its own: the default
     * graph's caches, and the tasks of a message naming no environment or one without {@code <ENV>_NEO4J_URI}.
     */
    static final String DEFAULT_ENVIRONMENT = "default";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter received = counter("segrel.messages.received", "task messages received");
    /** The task counters of each configured environment (upper case) and of {@link #DEFAULT_ENVIRONMENT}. */
    private final Map<String, TaskCounters> tasks = new ConcurrentHashMap<>();
    private final Counter takeovers = counter("segrel.lease.takeovers",
            "claims that took a task over from a holder whose lease had expired");
    private final Counter poison = counter("segrel.messages.poison", "bodies that are not a valid task message");
    private final Counter published = counter("segrel.completions.published", "completion messages sent");
    private final Counter redispatched = counter("segrel.tasks.redispatched", "stranded tasks re-enqueued by the sweeper");
    private final Counter sweptLeaseExpired = sweeperRedispatched("lease_expired");
    private final Counter sweptQueueShort = sweeperRedispatched("queue_short");
    private final Counter sweptNoSpan = counter("segrel.sweeper.failed_no_span",
            "tasks the sweeper failed for good: no span in their row, their message or the graph");
    private final Counter unconfiguredEnvironment = counter("segrel.graph.environment.unconfigured",
            "graphs asked of an environment without <ENV>_NEO4J_URI, answered by the default graph");
    private final Clock clock;
    private final BacklogGauges backlog;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lagMillis = new AtomicLong();
    private final Timer processing = Timer.builder("segrel.task.processing")
            .description("time to process one task, claim to acknowledgement")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(registry);

    /** Metrics whose ages are measured on the system clock. */
    public WorkerMetrics() {
        this(Clock.systemUTC());
    }

    /** Metrics whose ages (of the oldest waiting task, of the oldest unsent message) are measured on {@code clock}. */
    public WorkerMetrics(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        this.backlog = new BacklogGauges(registry, clock);
        tasks.put(DEFAULT_ENVIRONMENT, new TaskCounters(DEFAULT_ENVIRONMENT));
        Gauge.builder("segrel.tasks.in_flight", inFlight, AtomicInteger::get)
                .description("tasks being processed now")
                .register(registry);
        Gauge.builder("segrel.queue.lag.seconds", lagMillis, v -> v.get() / 1000.0)
                .description("age of the newest received message when it was received")
                .register(registry);
    }

    /**
     * Exposes the cache's fallback count (calls answered by the graph because the cache was down or
     * slow), read from {@code cache} with {@code fallbacks}. Micrometer holds {@code cache} weakly: pass
     * the long-lived object itself, never a lambda or method reference nothing else keeps (it would be
     * collected and the counter frozen at its last value).
     */
    public <T> void cacheFallbacks(T cache, ToLongFunction<T> fallbacks) {
        FunctionCounter.builder("segrel.cache.fallbacks", cache, c -> fallbacks.applyAsLong(c))
                .description("cache calls that fell back to the graph (cache down or slow)")
                .register(registry);
    }

    /**
     * Exposes {@code segrel_graph_environment_open{environment="ENV"}}: 1 while the driver of the
     * environment's own graph is open (it opens on first use), else 0.
     */
    public void graphEnvironment(String environment, java.util.function.BooleanSupplier open) {
        Gauge.builder("segrel.graph.environment.open", open, o -> o.getAsBoolean() ? 1 : 0)
                .description("1 while the driver of the environment's own graph is open")
                .tag("environment", environment)
                // a gauge holds its state weakly: nothing else keeps this lambda, so a GC would make it NaN
                .strongReference(true)
                .register(registry);
    }

    /**
     * Registers the task counters of {@code environment}, one with a graph of its own, at 0: from now
     * on the tasks of a message naming it (in any case) count under its upper-case name. Only names
     * given here become {@code environment} values; any other counts under {@link #DEFAULT_ENVIRONMENT}.
     */
    public void configuredEnvironment(String environment) {
        String name = requireNonNull(environment, "environment is null").toUpperCase(Locale.ROOT);
        tasks.computeIfAbsent(name, TaskCounters::new);
    }

    /** The counters of the environment a message named: its own when configured, else the default ones. */
    private TaskCounters of(String environment) {
        if (environment == null) {
            return tasks.get(DEFAULT_ENVIRONMENT);
        }
        TaskCounters own = tasks.get(environment.toUpperCase(Locale.ROOT));
        return own != null ? own : tasks.get(DEFAULT_ENVIRONMENT);
    }

    /** The {@code environment} value the tasks of a message naming {@code environment} (or null) count under. */
    String environmentLabel(String environment) {
        return of(environment).environment;
    }

    /** A graph asked of an environment without a graph of its own: the default graph answered. */
    public void unconfiguredEnvironment() {
        unconfiguredEnvironment.increment();
    }

    /**
     * Exposes {@code segrel_cache_requests_total{cache, environment, result="hit"|"miss"}} for one cache
     * of one graph, read from {@code counted} (held weakly, as for {@link #cacheFallbacks}): {@code cache}
     * is {@code index} (the in-memory alignment index's slices) or {@code dragonfly}; {@code environment}
     * is a configured environment's name, or {@code default}.
     */
    public <T> void cacheRequests(String cache, String environment, T counted, ToLongFunction<T> hits,
            ToLongFunction<T> misses) {
        requireNonNull(cache, "cache is null");
        requireNonNull(environment, "environment is null");
        cacheCounter(cache, environment, "hit", counted, hits);
        cacheCounter(cache, environment, "miss", counted, misses);
    }

    private <T> void cacheCounter(String cache, String environment, String result, T counted, ToLongFunction<T> count) {
        FunctionCounter.builder("segrel.cache.requests", counted, c -> count.applyAsLong(c))
                .description("cache lookups, by cache, graph environment and result")
                .tags("cache", cache, "environment", environment, "result", result)
                .register(registry);
    }

    /** The gauges of what waits (the store's backlog, the queues' depths), set by {@link BacklogPoller}. */
    BacklogGauges backlog() {
        return backlog;
    }

    Clock clock() {
        return clock;
    }

    /** The task counters of one {@code environment} value, every series registered at 0 when made. */
    private final class TaskCounters {
        final String environment;
        final Counter claimed;
        final Counter completed;
        final Counter noop;
        final Counter retried;
        final Map<Reason, Counter> failed;
        final Map<Reason, Counter> deadLettered;

        TaskCounters(String environment) {
            this.environment = environment;
            claimed = counter("segrel.tasks.claimed", "tasks claimed, by environment");
            completed = counter("segrel.tasks.completed", "tasks completed, by environment");
            noop = counter("segrel.tasks.noop", "tasks acknowledged with nothing to do, by environment");
            retried = counter("segrel.tasks.retried", "tasks sent back for a later attempt, by environment");
            failed = byReason("segrel.tasks.failed", "tasks failed for good, by environment and reason");
            deadLettered = byReason("segrel.messages.dead_lettered",
                    "messages moved to the dead-letter queue, by environment and reason");
        }

        private Counter counter(String name, String description) {
            return Counter.builder(name).description(description).tag("environment", environment).register(registry);
        }

        private Map<Reason, Counter> byReason(String name, String description) {
            // every code registered up front: a series exists at 0 before its first event, so rates and alerts see it
            Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
            for (Reason reason : Reason.values()) {
                counters.put(reason, Counter.builder(name).description(description)
                        .tags("environment", environment, "reason", reason.label()).register(registry));
            }
            return counters;
        }
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    private Counter sweeperRedispatched(String cause) {
        return Counter.builder("segrel.sweeper.redispatched")
                .description("task messages the sweeper sent, by cause")
                .tag("cause", cause)
                .register(registry);
    }

    public void received(int n, Duration lag) {
        received.increment(n);
        lagMillis.set(Math.max(0, lag.toMillis()));
    }

    /** A task of a message naming {@code environment} (null: none) was claimed. */
    public void claimed(String environment) {
        of(environment).claimed.increment();
    }

    /** A task of a message naming {@code environment} (null: none) was completed. */
    public void completed(String environment) {
        of(environment).completed.increment();
    }

    /** A task of a message naming {@code environment} (null: none) had nothing to do. */
    public void noop(String environment) {
        of(environment).noop.increment();
    }

    /** A task of a message naming {@code environment} (null: none, or not known) goes back for a later attempt. */
    public void retried(String environment) {
        of(environment).retried.increment();
    }

    /** A task of a message naming {@code environment} (null: none) failed for good. */
    public void failed(ProcessTask.Failed outcome, String environment) {
        of(environment).failed.get(Reason.of(outcome)).increment();
    }

    /** Counts each task's outcome under the environment its message named (a bounded set of environments). */
    public void outcomes(HandleTaskMessage.Handled handled) {
        String environment = handled.environment();
        for (ProcessTask.Outcome outcome : handled.outcomes()) {
            switch (outcome) {
                case ProcessTask.Done done -> {
                    claimed(environment);
                    completed(environment);
                }
                case ProcessTask.AlreadyDone done -> noop(environment);
                case ProcessTask.RetryLater later -> retried(environment);
                case ProcessTask.Failed failed -> {
                    claimed(environment);
                    failed(failed, environment);
                }
                case ProcessTask.Rejected rejected -> { }
            }
        }
    }

    /** A message was moved to the dead-letter queue; counted under the environment it named. */
    public void deadLettered(HandleTaskMessage.DeadLetter dead, HandleTaskMessage.Handled handled) {
        of(handled.environment()).deadLettered.get(Reason.of(dead, handled)).increment();
    }

    /** A claim took a task over from an expired lease. */
    public void takeover() {
        takeovers.increment();
    }

    public void poison() {
        poison.increment();
    }

    public void published(int n) {
        published.increment(n);
    }

    public void redispatched(int n) {
        redispatched.increment(n);
    }

    /**
     * Counts what a sweep did: {@code segrel_sweeper_redispatched_total{cause}} the task messages it sent,
     * for an expired lease ({@code lease_expired}) or a queue holding too few messages for the quiet
     * waiting tasks ({@code queue_short}); {@code segrel_sweeper_failed_no_span_total} the tasks it failed
     * for good because no span exists for them.
     */
    public void swept(SweepStranded.SweepReport report) {
        sweptLeaseExpired.increment(report.sentLeaseExpired());
        sweptQueueShort.increment(report.sentQueueShort());
        sweptNoSpan.increment(report.failedWithoutSpan());
    }

    public void started() {
        inFlight.incrementAndGet();
    }

    public void finished(Duration took) {
        inFlight.decrementAndGet();
        processing.record(took);
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
