package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.domain.EnvironmentName;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.AlignmentGraphs;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.neo4j.Neo4jAlignmentGraph;
import dev.segrel.neo4j.Neo4jConfig;
import dev.segrel.neo4j.Neo4jEnvironments;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's graphs by environment: the default graph, and for each environment configured with
 * {@code <ENV>_NEO4J_URI} ({@link Neo4jEnvironments}) a graph of its own, opened on first use: its own
 * driver (connection pool) and its own search stack over it (in-memory index, Dragonfly keys in the
 * environment's namespace). An environment without a graph of its own searches the default graph;
 * that is counted and logged (once per name), since it usually means a missing {@code <ENV>_NEO4J_URI}.
 *
 * <p>Thread-safe: one driver per environment however many tasks ask for it at once. {@link #close}
 * closes the drivers it opened (the default graph belongs to the injector); a graph asked for after
 * that is unavailable (a transient fault: the task is retried by another worker).
 */
public final class EnvironmentGraphs implements AlignmentGraphs, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EnvironmentGraphs.class);
    /** Names remembered to warn about once; messages choose them, so the set is bounded. */
    private static final int WARNED_AT_MOST = 64;

    /** Puts an environment's search stack together over the driver opened for it. */
    @FunctionalInterface
    interface Stack {
        AlignmentGraph over(String environment, Neo4jAlignmentGraph neo4j);
    }

    private record Opened(Neo4jAlignmentGraph neo4j, AlignmentGraph graph) {}

    private final AlignmentGraph defaultGraph;
    private final Neo4jEnvironments environments;
    private final Stack stack;
    private final Function<Neo4jConfig, Neo4jAlignmentGraph> connect;
    private final WorkerMetrics metrics;
    private final Map<String, Opened> opened = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private boolean closed; // guarded by this

    EnvironmentGraphs(AlignmentGraph defaultGraph, Neo4jEnvironments environments, Stack stack, WorkerMetrics metrics) {
        this(defaultGraph, environments, stack, Neo4jAlignmentGraph::connect, metrics);
    }

    /** As the other constructor, opening drivers with {@code connect} (tests count them). */
    EnvironmentGraphs(AlignmentGraph defaultGraph, Neo4jEnvironments environments, Stack stack,
            Function<Neo4jConfig, Neo4jAlignmentGraph> connect, WorkerMetrics metrics) {
        this.defaultGraph = requireNonNull(defaultGraph, "defaultGraph is null");
        this.environments = requireNonNull(environments, "environments is null");
        this.stack = requireNonNull(stack, "stack is null");
        this.connect = requireNonNull(connect, "connect is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        for (String name : environments.names()) {
            metrics.graphEnvironment(name, () -> isOpen(name));
            metrics.configuredEnvironment(name);
        }
    }

    @Override
    public AlignmentGraph graph(String environment) {
        if (environment == null) {
            return defaultGraph;
        }
        if (!EnvironmentName.isValid(environment)) {
            throw new IllegalArgumentException("not an environment name: " + environment);
        }
        String name = environment.toUpperCase(Locale.ROOT);
        Opened graph = opened.get(name);
        if (graph != null) {
            return graph.graph();
        }
        Optional<Neo4jConfig> config = environments.config(name);
        if (config.isEmpty()) {
            unconfigured(name);
            return defaultGraph;
        }
        return open(name, config.get()).graph();
    }

    @Override
    public List<String> environments() {
        return environments.names();
    }

    /** The default graph. */
    public AlignmentGraph defaultGraph() {
        return defaultGraph;
    }

    /** True when {@code environment} (any case) has a graph of its own and its driver is open. */
    public boolean isOpen(String environment) {
        return environment != null && opened.containsKey(environment.toUpperCase(Locale.ROOT));
    }

    private synchronized Opened open(String name, Neo4jConfig config) {
        if (closed) {
            throw new GraphUnavailableException("the graph of environment " + name + " is closed: the worker is stopping");
        }
        Opened existing = opened.get(name);
        if (existing != null) {
            return existing;
        }
        Neo4jAlignmentGraph neo4j = connect.apply(config);
        AlignmentGraph graph;
        try {
            graph = stack.over(name, neo4j);
        } catch (RuntimeException e) {
            neo4j.close();
            throw e;
        }
        Opened made = new Opened(neo4j, graph);
        opened.put(name, made);
        log.info("Opened the graph of environment {}: Neo4j at {}", name, config.redactedUri());
        return made;
    }

    private void unconfigured(String name) {
        metrics.unconfiguredEnvironment();
        if (warned.size() < WARNED_AT_MOST && warned.add(name)) {
            log.warn("Environment {} has no graph of its own ({} is not set): its segments are searched in the"
                    + " default graph", name, Neo4jEnvironments.uriKey(name));
        }
    }

    /** Closes the drivers opened here; later calls of {@link #graph} for them are unavailable. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        for (Map.Entry<String, Opened> e : opened.entrySet()) {
            try {
                e.getValue().neo4j().close();
            } catch (RuntimeException failure) {
                log.warn("Closing the graph of environment {} failed: {}", e.getKey(),
                        Secrets.redact(String.valueOf(failure.getMessage())));
            }
        }
        opened.clear();
    }

    @Override
    public String toString() {
        return "EnvironmentGraphs[default=" + defaultGraph + ", environments=" + environments.names() + ", open="
                + opened.keySet() + "]";
    }
}
