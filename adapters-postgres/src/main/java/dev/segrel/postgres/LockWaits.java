package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * How a migration waits for a table's lock without stalling the live system. While a DDL statement waits
 * for its lock, every later statement on that table queues behind it, the deployed producer's INSERTs
 * included; so each attempt waits at most {@code lockTimeout} ({@code SET lock_timeout}), gives up, and
 * tries again after a growing pause that lets the queued statements through. After {@code attempts} it
 * fails with a {@link MigrationLockException} naming the table. Not thread-safe; one per migration run.
 */
final class LockWaits {

    /** SQLSTATE lock_not_available: {@code lock_timeout} ran out. */
    static final String LOCK_NOT_AVAILABLE = "55P03";

    /** Attempts and pauses of a real run: about a minute of trying before giving up. */
    static final int DEFAULT_ATTEMPTS = 12;
    static final Duration DEFAULT_FIRST_PAUSE = Duration.ofMillis(250);
    static final Duration MAX_PAUSE = Duration.ofSeconds(4);

    /** What the pauses between attempts wait on; a test may count them instead. */
    interface Pauses {
        void pause(Duration duration) throws InterruptedException;
    }

    /** One attempt: a statement (or several) that needs the lock. */
    interface Attempt {
        void run() throws SQLException;
    }

    private final Duration lockTimeout;
    private final int attempts;
    private final Duration firstPause;
    private final Pauses pauses;
    private int retries;

    LockWaits(Duration lockTimeout, int attempts, Duration firstPause, Pauses pauses) {
        this.lockTimeout = requireNonNull(lockTimeout, "lockTimeout is null");
        if (lockTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("lockTimeout must be >= 1 ms, was " + lockTimeout);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1, was " + attempts);
        }
        this.attempts = attempts;
        this.firstPause = requireNonNull(firstPause, "firstPause is null");
        this.pauses = requireNonNull(pauses, "pauses is null");
    }

    static LockWaits of(Duration lockTimeout) {
        return new LockWaits(lockTimeout, DEFAULT_ATTEMPTS, DEFAULT_FIRST_PAUSE, d -> Thread.sleep(d.toMillis()));
    }

    Duration lockTimeout() {
        return lockTimeout;
    }

    /** How many attempts ran out of time so far (then were tried again). */
    int retries() {
        return retries;
    }

    /** The session setting that bounds one attempt's wait. */
    String setting() {
        return "SET lock_timeout = '" + lockTimeout.toMillis() + "ms'";
    }

    /** Runs {@code sql} on {@code connection} (autocommit) under the bounded wait; {@code table} names it in the error. */
    void execute(Connection connection, String table, String sql) throws SQLException {
        run(table, () -> {
            try (Statement s = connection.createStatement()) {
                s.execute(setting());
                s.execute(sql);
            }
        });
    }

    /** Runs {@code attempt} until it does not run out of lock time, at most {@code attempts} times. */
    void run(String table, Attempt attempt) throws SQLException {
        Duration pause = firstPause;
        for (int i = 1; ; i++) {
            try {
                attempt.run();
                return;
            } catch (SQLException e) {
                if (!timedOut(e)) {
                    throw e;
                }
                if (i >= attempts) {
                    throw new MigrationLockException("could not lock " + table + ": other sessions held it through "
                            + attempts + " attempts of " + lockTimeout.toMillis() + " ms each ("
                            + PostgresConfig.MIGRATE_LOCK_TIMEOUT_KEY + "); what was done before is kept: run segrel"
                            + " migrate again once the long transaction on it has ended (pg_stat_activity shows it)", e);
                }
                retries++;
            }
            try {
                pauses.pause(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrationLockException("interrupted while waiting to lock " + table, e);
            }
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
    }

    /** True when {@code e}, or what it wraps, says a lock wait ran out of time. */
    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
