package dev.segrel.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One online adoption at a time per database: a session-level advisory lock, held on the adopting
 * connection while {@link OnlineAdoption} runs. A second migrator waits for it, then finds every step done.
 */
final class AdoptionLock implements AutoCloseable {

    /** The advisory lock key ('segrel' in ASCII). */
    static final long KEY = 0x7365_6772_656cL;

    private final Connection connection;

    private AdoptionLock(Connection connection) {
        this.connection = connection;
    }

    /**
     * Takes the lock by trying, not by waiting in {@code pg_advisory_lock}: a session blocked in that call
     * holds a snapshot, and the holder's {@code CREATE INDEX CONCURRENTLY} waits for every snapshot to end,
     * so two migrators started together would deadlock.
     */
    static AdoptionLock await(Connection c) throws SQLException {
        long pauseMillis = 50;
        while (true) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + KEY + ")")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return new AdoptionLock(c);
                }
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for another migrator's adoption", e);
            }
            pauseMillis = Math.min(1_000, pauseMillis * 2);
        }
    }

    /**
     * An earlier run that failed in the first migration may have left Flyway's baseline at 0 behind, and nothing
     * else: Flyway would then run that migration, which the online adoption has done already. Called while held.
     */
    void forgetFailedBaseline() throws SQLException {
        if (!OnlineAdoption.exists(connection, PostgresMigrator.HISTORY_TABLE)) {
            return;
        }
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE type <> 'BASELINE' OR version <> '0')"
                        + " FROM " + PostgresMigrator.HISTORY_TABLE)) {
            rs.next();
            if (rs.getLong(1) == 0) {
                s.execute("DROP TABLE " + PostgresMigrator.HISTORY_TABLE);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SELECT pg_advisory_unlock(" + KEY + ")");
        }
    }
}
