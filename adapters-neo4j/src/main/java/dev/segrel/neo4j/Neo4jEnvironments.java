package dev.segrel.neo4j;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.ConfigException;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Settings;
import dev.segrel.core.domain.EnvironmentName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The graphs of the environments a batch message's {@code source_environment} can name, beside the
 * default graph ({@code NEO4J_*}, {@link Neo4jConfig}): parsed once from the environment.
 *
 * <p>Environment {@code X} has a graph of its own when {@code X_NEO4J_URI} is set (not blank), where
 * {@code X} is an environment name in upper case ({@link EnvironmentName#isValid}); a
 * message names it in any case. Its keys:
 * <ul>
 *   <li>{@code X_NEO4J_URI}: the graph, checked as {@code NEO4J_URI} is;
 *   <li>{@code X_NEO4J_USER}: else the default graph's user ({@code NEO4J_USER}, else {@value
 *       Neo4jConfig#DEFAULT_USER});
 *   <li>{@code X_NEO4J_PASSWORD}: else empty, no authentication. The default graph's password is
 *       never sent to another environment's server.
 * </ul>
 * Timeouts and the pool size are the default graph's. Without {@code X_NEO4J_URI}, {@code X_NEO4J_USER}
 * and {@code X_NEO4J_PASSWORD} are not read (messages naming {@code X} search the default graph).
 *
 * <p>Names starting with {@code SEGREL} are segrel's own settings ({@code SEGREL_TEST_NEO4J_URI} is the
 * test harness's), never an environment. A {@code …_NEO4J_URI} key whose prefix is not an environment
 * name, or is not in upper case, is refused: a message could never reach that graph, and the
 * operator meant one.
 */
public final class Neo4jEnvironments {

    /** How the key of an environment's graph ends: {@code PRODUCTION_NEO4J_URI}. */
    public static final String URI_SUFFIX = "_NEO4J_URI";
    static final String USER_SUFFIX = "_NEO4J_USER";
    static final String PASSWORD_SUFFIX = "_NEO4J_PASSWORD";
    private static final String RESERVED = "SEGREL";

    private final Neo4jConfig defaultGraph;
    private final SortedMap<String, Neo4jConfig> environments;

    private Neo4jEnvironments(Neo4jConfig defaultGraph, SortedMap<String, Neo4jConfig> environments) {
        this.defaultGraph = defaultGraph;
        this.environments = environments;
    }

    /** Only the default graph (tests, embedding). */
    public static Neo4jEnvironments only(Neo4jConfig defaultGraph) {
        return of(defaultGraph, Map.of());
    }

    /** Exactly these graphs; names are environment names, in any case (tests, embedding). */
    public static Neo4jEnvironments of(Neo4jConfig defaultGraph, Map<String, Neo4jConfig> environments) {
        requireNonNull(defaultGraph, "defaultGraph is null");
        requireNonNull(environments, "environments is null");
        SortedMap<String, Neo4jConfig> byName = new TreeMap<>();
        environments.forEach((name, config) -> {
            if (!EnvironmentName.isValid(name) || reserved(name.toUpperCase(Locale.ROOT))) {
                throw new IllegalArgumentException("not an environment name: " + name);
            }
            if (byName.put(name.toUpperCase(Locale.ROOT), requireNonNull(config, "config of " + name + " is null"))
                    != null) {
                throw new IllegalArgumentException("environment " + name + " is given twice");
            }
        });
        return new Neo4jEnvironments(defaultGraph, java.util.Collections.unmodifiableSortedMap(byName));
    }

    /**
     * Reads the default graph and every environment's. Every bad key is reported in one {@link
     * ConfigException} on one line ("invalid Neo4j configuration: " and the problems separated by
     * "; "); no password appears in it.
     */
    public static Neo4jEnvironments fromSettings(Settings settings) {
        return ConfigReader.readOrThrow(settings, r -> read(r, Neo4jConfig.read(r)), "invalid Neo4j configuration: ");
    }

    /** As {@link #fromSettings(Settings)}, over a default graph read already: reports the environments' keys only. */
    public static Neo4jEnvironments fromSettings(Settings settings, Neo4jConfig defaultGraph) {
        return ConfigReader.readOrThrow(settings, r -> read(r, defaultGraph), "invalid Neo4j configuration: ");
    }

    /**
     * Reads the environments' keys over {@code defaultGraph}, recording every problem in {@code reader}
     * (an environment with a bad URI is left out); no password appears in a problem.
     */
    public static Neo4jEnvironments read(ConfigReader reader, Neo4jConfig defaultGraph) {
        requireNonNull(reader, "reader is null");
        requireNonNull(defaultGraph, "defaultGraph is null");
        SortedMap<String, Neo4jConfig> byName = new TreeMap<>();
        for (String key : uriKeys(reader)) {
            String name = key.substring(0, key.length() - URI_SUFFIX.length());
            if (reserved(name.toUpperCase(Locale.ROOT)) || reader.optional(key).isEmpty()) {
                continue;
            }
            if (!EnvironmentName.isValid(name)) {
                reader.problem(key + " does not name an environment: the part before " + URI_SUFFIX
                        + " must be a letter, then letters, digits or underscores (at most 64)");
                continue;
            }
            String upper = name.toUpperCase(Locale.ROOT);
            if (!name.equals(upper)) {
                reader.problem(key + " must be in upper case: " + upper + URI_SUFFIX
                        + " (messages name the environment in any case)");
                continue;
            }
            Optional<String> uri = reader.optional(key, Neo4jConfig::uriProblem);
            String user = reader.string(name + USER_SUFFIX, defaultGraph.user());
            // verbatim, as NEO4J_PASSWORD: spaces may be part of it
            String password = reader.verbatim(name + PASSWORD_SUFFIX, "");
            uri.ifPresent(u -> byName.put(name, new Neo4jConfig(u, user, password, defaultGraph.connectTimeout(),
                    defaultGraph.queryTimeout(), defaultGraph.maxConnectionPool())));
        }
        return new Neo4jEnvironments(defaultGraph, java.util.Collections.unmodifiableSortedMap(byName));
    }

    /** The graph of messages without an environment, or naming one without a graph of its own. */
    public Neo4jConfig defaultGraph() {
        return defaultGraph;
    }

    /** The environments with a graph of their own: upper case, sorted; empty when only the default. */
    public List<String> names() {
        return List.copyOf(environments.keySet());
    }

    /** The graph of {@code environment} (any case), or empty when it has none of its own (or is null). */
    public Optional<Neo4jConfig> config(String environment) {
        return environment == null ? Optional.empty()
                : Optional.ofNullable(environments.get(environment.toUpperCase(Locale.ROOT)));
    }

    /** The key naming {@code environment}'s graph: {@code PRODUCTION_NEO4J_URI}. */
    public static String uriKey(String environment) {
        return requireNonNull(environment, "environment is null").toUpperCase(Locale.ROOT) + URI_SUFFIX;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Neo4jEnvironments other && defaultGraph.equals(other.defaultGraph)
                && environments.equals(other.environments);
    }

    @Override
    public int hashCode() {
        return 31 * defaultGraph.hashCode() + environments.hashCode();
    }

    /** Redacted: no password. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add("default=" + defaultGraph);
        environments.forEach((name, config) -> parts.add(name + "=" + config));
        return "Neo4jEnvironments[" + String.join(", ", parts) + "]";
    }

    private static boolean reserved(String upperName) {
        return upperName.equals(RESERVED) || upperName.startsWith(RESERVED + "_");
    }

    /** Every key ending in {@value #URI_SUFFIX}, sorted so that problems come in a stable order. */
    private static TreeSet<String> uriKeys(ConfigReader reader) {
        TreeSet<String> keys = new TreeSet<>();
        for (String key : reader.keys()) {
            if (key.endsWith(URI_SUFFIX)) {
                keys.add(key);
            }
        }
        return keys;
    }
}
