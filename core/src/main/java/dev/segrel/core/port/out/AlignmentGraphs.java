package dev.segrel.core.port.out;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.EnvironmentName;
import java.util.List;

/**
 * The alignment graphs a worker can search, one per environment. A batch message's
 * {@code source_environment} names the graph its segments are searched in; a message without one
 * (the single-segment format) uses the default graph.
 *
 * <p>An environment {@code X} is the graph at {@code X_NEO4J_URI} when that is configured, else the
 * default graph ({@code NEO4J_URI}). Implementations open a graph on first use and keep it; they are
 * thread-safe.
 */
public interface AlignmentGraphs {

    /**
     * The graph of {@code environment} (matched case-insensitively), or the default graph when it is {@code null} or has no graph
     * of its own.
     *
     * @throws IllegalArgumentException when {@code environment} is not an environment name
     * @throws GraphUnavailableException when the graph cannot be opened (transient)
     */
    AlignmentGraph graph(String environment);

    /** The environments configured with a graph of their own (upper case, sorted); empty when only the default. */
    List<String> environments();

    /** Just one graph, for every environment. */
    static AlignmentGraphs of(AlignmentGraph graph) {
        requireNonNull(graph, "graph is null");
        return new AlignmentGraphs() {
            @Override
            public AlignmentGraph graph(String environment) {
                if (environment != null && !EnvironmentName.isValid(environment)) {
                    throw new IllegalArgumentException("not an environment name: " + environment);
                }
                return graph;
            }

            @Override
            public List<String> environments() {
                return List.of();
            }
        };
    }
}
