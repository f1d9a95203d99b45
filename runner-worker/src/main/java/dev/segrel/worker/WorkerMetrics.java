package dev.segrel.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The worker's Prometheus metrics. Names end in {@code _total} for counters once scraped. */
public final class WorkerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter received = counter("segrel.messages.received", "task messages received");
    private final Counter claimed = counter("segrel.tasks.claimed", "tasks claimed");
    private final Counter completed = counter("segrel.tasks.completed", "tasks completed");
    private final Counter noop = counter("segrel.tasks.noop", "messages acknowledged with nothing to do");
    private final Counter retried = counter("segrel.tasks.retried", "tasks sent back for a later attempt");
    private final Counter failed = counter("segrel.tasks.failed", "tasks failed for good");
    private final Counter deadLettered = counter("segrel.messages.dead_lettered", "messages moved to the dead-letter queue");
    private final Counter poison = counter("segrel.messages.poison", "bodies that are not a valid task message");
    private final Counter published = counter("segrel.completions.published", "completion messages sent");
    private final Counter redispatched = counter("segrel.tasks.redispatched", "stranded tasks re-enqueued by the sweeper");
    private final Counter unconfiguredEnvironment = counter("segrel.graph.environment.unconfigured",
            "graphs asked of an environment without <ENV>_NEO4J_URI, answered by the default graph");
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lagMillis = new AtomicLong();
    private final Timer processing = Timer.builder("segrel.task.processing")
            .description("time to process one task, claim to acknowledgement")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(registry);

    public WorkerMetrics() {
        Gauge.builder("segrel.tasks.in_flight", inFlight, AtomicInteger::get)
                .description("tasks being processed now")
                .register(registry);
        Gauge.builder("segrel.queue.lag.seconds", lagMillis, v -> v.get() / 1000.0)
                .description("age of the newest received message when it was received")
                .register(registry);
    }

    /** Exposes the cache's fallback count (calls answered by the graph because the cache was down or slow). */
    public void cacheFallbacks(java.util.function.LongSupplier fallbacks) {
        io.micrometer.core.instrument.FunctionCounter.builder("segrel.cache.fallbacks", fallbacks, f -> f.getAsLong())
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

    /** A graph asked of an environment without a graph of its own: the default graph answered. */
    public void unconfiguredEnvironment() {
        unconfiguredEnvironment.increment();
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    public void received(int n, Duration lag) {
        received.increment(n);
        lagMillis.set(Math.max(0, lag.toMillis()));
    }

    public void claimed() {
        claimed.increment();
    }

    public void completed() {
        completed.increment();
    }

    public void noop() {
        noop.increment();
    }

    public void retried() {
        retried.increment();
    }

    public void failed() {
        failed.increment();
    }

    public void deadLettered() {
        deadLettered.increment();
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
