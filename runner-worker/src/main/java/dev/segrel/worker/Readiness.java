package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readiness of the worker's dependencies, computed in the background every {@link #INTERVAL} and
 * read from memory: {@code /health/ready} never touches a dependency, so a flood of probes costs the
 * tasks nothing (no connection of their pool, no call to SQS or Neo4j), and a dependency that hangs
 * delays no answer.
 *
 * <p>Each check runs on a virtual thread of its own and must answer within {@link #DEADLINE}; one that
 * does not, or that is still running from an earlier poll, reads DOWN. What made a check DOWN is
 * logged, redacted, once per change of state: the answers themselves name the dependency and its
 * state only, never a host, a URL or an exception's text.
 */
final class Readiness implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Readiness.class);

    /** How often the checks run: fresh enough for a probe every 10 s, one cheap call per dependency. */
    static final Duration INTERVAL = Duration.ofSeconds(5);
    /** How long one check may take before it reads DOWN. */
    static final Duration DEADLINE = Duration.ofSeconds(3);

    /** The state of every check at the last poll, in the checks' order. */
    record Snapshot(Map<String, Boolean> checks) {
        Snapshot {
            checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(checks, "checks is null")));
        }

        boolean up() {
            return !checks.containsValue(false);
        }

        /** {@code {"status":"UP","checks":{"postgres":"UP",…}}}: names and states only. */
        String json() {
            StringBuilder body = new StringBuilder("{\"status\":\"").append(up() ? "UP" : "DOWN").append("\",\"checks\":{");
            String sep = "";
            for (Map.Entry<String, Boolean> e : checks.entrySet()) {
                body.append(sep).append('"').append(e.getKey().replace("\\", "\\\\").replace("\"", "\\\""))
                        .append("\":\"").append(e.getValue() ? "UP" : "DOWN").append('"');
                sep = ",";
            }
            return body.append("}}").toString();
        }
    }

    private final List<HttpEndpoints.Check> checks;
    private final BiConsumer<String, Boolean> listener;
    private final Map<String, FutureTask<Boolean>> running = new ConcurrentHashMap<>();
    private final Map<String, Boolean> last = new ConcurrentHashMap<>();
    private volatile Snapshot current;
    private ScheduledExecutorService timer; // guarded by this

    /** {@code listener} hears every check's state after every poll (the {@code segrel_dependency_up} gauges). */
    Readiness(List<HttpEndpoints.Check> checks, BiConsumer<String, Boolean> listener) {
        this.checks = List.copyOf(requireNonNull(checks, "checks is null"));
        this.listener = requireNonNull(listener, "listener is null");
        Map<String, Boolean> none = new LinkedHashMap<>();
        for (HttpEndpoints.Check check : this.checks) {
            none.put(check.name(), false);
        }
        this.current = new Snapshot(none);
    }

    /** The answer of the last poll (every check DOWN before the first). Never blocks. */
    Snapshot current() {
        return current;
    }

    /** Polls once now, on the caller's thread (so the first answer is a real one), then every {@link #INTERVAL}. */
    synchronized void start() {
        if (timer == null) {
            poll();
            timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon(true)
                    .name("segrel-readiness").factory());
            timer.scheduleWithFixedDelay(() -> Guarded.run("readiness poll", this::poll), INTERVAL.toMillis(),
                    INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs every check side by side, each within {@link #DEADLINE}, and publishes the new snapshot. */
    void poll() {
        long until = System.nanoTime() + DEADLINE.toNanos();
        Map<String, FutureTask<Boolean>> started = new LinkedHashMap<>();
        for (HttpEndpoints.Check check : checks) {
            started.put(check.name(), start(check));
        }
        Map<String, Boolean> states = new LinkedHashMap<>();
        for (Map.Entry<String, FutureTask<Boolean>> e : started.entrySet()) {
            boolean up = outcome(e.getKey(), e.getValue(), until);
            states.put(e.getKey(), up);
            listener.accept(e.getKey(), up);
        }
        current = new Snapshot(states);
    }

    /** The check's run of this poll; null when its run of an earlier poll still hangs (it reads DOWN). */
    private FutureTask<Boolean> start(HttpEndpoints.Check check) {
        FutureTask<Boolean> earlier = running.get(check.name());
        if (earlier != null && !earlier.isDone()) {
            return null;
        }
        FutureTask<Boolean> task = new FutureTask<>(() -> Boolean.TRUE.equals(check.probe().get()));
        running.put(check.name(), task);
        Thread.ofVirtual().name("segrel-readiness-" + check.name()).start(task);
        return task;
    }

    private boolean outcome(String name, FutureTask<Boolean> task, long untilNanos) {
        String why;
        if (task == null) {
            why = "its check of an earlier poll has not answered yet";
        } else {
            try {
                if (task.get(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    changed(name, true, null);
                    return true;
                }
                why = "its check answered false";
            } catch (TimeoutException e) {
                why = "no answer within " + DEADLINE.toMillis() + " ms";
            } catch (ExecutionException e) {
                why = e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                why = "interrupted";
            }
        }
        changed(name, false, why);
        return false;
    }

    /** Logs a change of state only: a dependency down for an hour is one line, not 720. */
    private void changed(String name, boolean up, String why) {
        Boolean before = last.put(name, up);
        if (before == null ? !up : before != up) {
            if (up) {
                log.info("Readiness: {} is UP again", name);
            } else {
                log.warn("Readiness: {} is DOWN: {}", name, Secrets.redact(String.valueOf(why)));
            }
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
