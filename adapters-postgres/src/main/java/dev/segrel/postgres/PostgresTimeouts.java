package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.ConfigReader;
import java.time.Duration;

/**
 * How long one call to PostgreSQL may take on the pool's connections, so that a server that accepts
 * connections and then answers nothing (a black hole: a half-open network path, a hung host) blocks no
 * thread forever.
 *
 * <p>The statement timeout is the server's {@code statement_timeout}: it cancels a statement that runs
 * too long and says so. The socket timeout is the driver's ({@code socketTimeout}): it ends a read the
 * server never answers, and so must be the longer of the two, or a slow statement would be cut by the
 * socket first with a less clear error. The migrator's own connections take neither: a migration's
 * index builds and validations legitimately run for minutes.
 *
 * @param statement {@code SEGREL_POSTGRES_STATEMENT_TIMEOUT_MS}; zero: none
 * @param socket {@code SEGREL_POSTGRES_SOCKET_TIMEOUT_MS}, applied in whole seconds (rounded up); zero: none
 */
public record PostgresTimeouts(Duration statement, Duration socket) {

    public static final String STATEMENT_KEY = "SEGREL_POSTGRES_STATEMENT_TIMEOUT_MS";
    public static final String SOCKET_KEY = "SEGREL_POSTGRES_SOCKET_TIMEOUT_MS";

    /**
     * The longest legitimate statement of the pool is a set-based write for a set of 500 tasks (a claim,
     * an end with its results), milliseconds on a healthy server: 30 s leaves room for a loaded one.
     */
    public static final Duration DEFAULT_STATEMENT = Duration.ofSeconds(30);
    /** Longer than the statement timeout, shorter than SQS's default visibility of 60 s. */
    public static final Duration DEFAULT_SOCKET = Duration.ofSeconds(45);
    /** How long opening a connection (TCP, then the login) may take: pgjdbc's {@code connectTimeout}, {@code loginTimeout}. */
    static final int CONNECT_SECONDS = 10;

    public static final PostgresTimeouts DEFAULTS = new PostgresTimeouts(DEFAULT_STATEMENT, DEFAULT_SOCKET);

    private static final long MAX_MILLIS = 3_600_000;

    public PostgresTimeouts {
        requireNonNull(statement, "statement is null");
        requireNonNull(socket, "socket is null");
        if (statement.isNegative() || statement.toMillis() > MAX_MILLIS) {
            throw new IllegalArgumentException(STATEMENT_KEY + " must be 0.." + MAX_MILLIS + " ms, was " + statement.toMillis());
        }
        if (socket.isNegative() || socket.toMillis() > MAX_MILLIS) {
            throw new IllegalArgumentException(SOCKET_KEY + " must be 0.." + MAX_MILLIS + " ms, was " + socket.toMillis());
        }
    }

    /** Reads both keys, recording a problem in {@code reader} for a bad one (which reads as its default). */
    static PostgresTimeouts read(ConfigReader reader) {
        Duration statement = reader.millis(STATEMENT_KEY, DEFAULT_STATEMENT, 0, MAX_MILLIS);
        Duration socket = reader.millis(SOCKET_KEY, DEFAULT_SOCKET, 0, MAX_MILLIS);
        if (!statement.isZero() && !socket.isZero() && socket.compareTo(statement) <= 0) {
            reader.problem(SOCKET_KEY + " must be longer than " + STATEMENT_KEY + " (or 0), was " + socket.toMillis()
                    + " <= " + statement.toMillis());
            return DEFAULTS;
        }
        return new PostgresTimeouts(statement, socket);
    }

    /** The driver's {@code socketTimeout}: whole seconds, rounded up; 0 is none. */
    int socketSeconds() {
        return (int) ((socket.toMillis() + 999) / 1000);
    }

    /** The session's setting, run on every new connection of the pool. */
    String sessionSql() {
        return "SET statement_timeout = " + statement.toMillis();
    }
}
