package dev.segrel.neo4j;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.ConfigException;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Secrets;
import dev.segrel.core.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How to reach Neo4j: parsed once from the environment ({@link #read}, or {@link #fromSettings} on its own).
 *
 * <p>Keys (all optional): {@code NEO4J_URI} (default {@value #DEFAULT_URI}), {@code NEO4J_USER}
 * (default {@value #DEFAULT_USER}), {@code NEO4J_PASSWORD} (default empty: no authentication),
 * {@code NEO4J_CONNECT_TIMEOUT_MS} (default 5000), {@code NEO4J_QUERY_TIMEOUT_MS} (default 30000),
 * {@code NEO4J_MAX_POOL} (default 50).
 *
 * @param uri a {@code bolt}, {@code bolt+s}, {@code bolt+ssc}, {@code neo4j}, {@code neo4j+s} or
 *     {@code neo4j+ssc} URI
 * @param user the user name (ignored when the password is empty)
 * @param password the password; empty means the server needs no authentication
 * @param connectTimeout how long to wait for a connection (also bounds driver-side retries)
 * @param queryTimeout how long one read transaction may run on the server
 * @param maxConnectionPool the most connections the driver keeps open
 */
public record Neo4jConfig(
        String uri, String user, String password, Duration connectTimeout, Duration queryTimeout, int maxConnectionPool) {

    public static final String DEFAULT_URI = "bolt://localhost:7687";
    public static final String DEFAULT_USER = "neo4j";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_POOL = 50;

    static final Set<String> SCHEMES = Set.of("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc");

    public Neo4jConfig {
        requireNonNull(uri, "uri is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(queryTimeout, "queryTimeout is null");
        uriProblem(uri).ifPresent(p -> {
            throw new IllegalArgumentException("uri " + p);
        });
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
        }
        if (queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new IllegalArgumentException("queryTimeout must be positive, was " + queryTimeout);
        }
        if (maxConnectionPool < 1) {
            throw new IllegalArgumentException("maxConnectionPool must be >= 1, was " + maxConnectionPool);
        }
    }

    /** The defaults with another URI, user and password (tests, dev stack). */
    public static Neo4jConfig of(String uri, String user, String password) {
        return new Neo4jConfig(uri, user, password, DEFAULT_CONNECT_TIMEOUT, DEFAULT_QUERY_TIMEOUT, DEFAULT_MAX_POOL);
    }

    /**
     * Reads the {@code NEO4J_*} keys. Every bad key is reported, each with its own sentence, in one
     * {@link ConfigException} (one line: "invalid Neo4j configuration: " and the problems separated
     * by "; "); the password never appears in it.
     */
    public static Neo4jConfig fromSettings(Settings s) {
        return ConfigReader.readOrThrow(s, Neo4jConfig::read, "invalid Neo4j configuration: ");
    }

    /**
     * Reads the {@code NEO4J_*} keys, recording every problem in {@code reader} (a bad value reads as
     * its default); the password never appears in a problem.
     */
    public static Neo4jConfig read(ConfigReader reader) {
        String uri = reader.string("NEO4J_URI", DEFAULT_URI, Neo4jConfig::uriProblem);
        String user = reader.string("NEO4J_USER", DEFAULT_USER);
        // the password is taken verbatim: leading or trailing spaces may be part of it
        String password = reader.verbatim("NEO4J_PASSWORD", "");
        Duration connect = millis(reader, "NEO4J_CONNECT_TIMEOUT_MS", DEFAULT_CONNECT_TIMEOUT);
        Duration query = millis(reader, "NEO4J_QUERY_TIMEOUT_MS", DEFAULT_QUERY_TIMEOUT);
        int pool = reader.intValue("NEO4J_MAX_POOL", DEFAULT_MAX_POOL, 1, Integer.MAX_VALUE, "a positive whole number");
        return new Neo4jConfig(uri, user, password, connect, query, pool);
    }

    /** The URI with any password in it masked: safe for logs and messages. */
    public String redactedUri() {
        return Secrets.redact(uri);
    }

    /** True when the driver should authenticate (a password is set). */
    public boolean hasCredentials() {
        return !password.isEmpty();
    }

    @Override
    public String toString() {
        return "Neo4jConfig[uri=" + redactedUri() + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***")
                + ", connectTimeout=" + connectTimeout + ", queryTimeout=" + queryTimeout
                + ", maxConnectionPool=" + maxConnectionPool + "]";
    }

    static Optional<String> uriProblem(String uri) {
        String shown = "'" + Secrets.redact(uri) + "'";
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URI: " + shown);
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            return Optional.of("must start with bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s:// or neo4j+ssc://, was "
                    + shown);
        }
        if (parsed.getHost() == null || parsed.getHost().isBlank()) {
            return Optional.of("must name a host, was " + shown);
        }
        return Optional.empty();
    }

    private static Duration millis(ConfigReader reader, String key, Duration defaultValue) {
        return Duration.ofMillis(reader.longValue(key, defaultValue.toMillis(), 1, Long.MAX_VALUE,
                "a positive number of milliseconds"));
    }
}
