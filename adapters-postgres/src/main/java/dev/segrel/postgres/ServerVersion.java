package dev.segrel.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The oldest PostgreSQL segrel runs on: 13, for {@code gen_random_uuid()} without an extension (the task
 * table's default and the store's inserts use it); what else the SQL needs (constant-default columns added
 * without a rewrite, {@code EXECUTE FUNCTION} triggers, {@code CREATE INDEX CONCURRENTLY IF NOT EXISTS},
 * {@code MATERIALIZED} CTEs) came in 11 and 12.
 */
final class ServerVersion {

    static final int MINIMUM_MAJOR = 13;

    private ServerVersion() {}

    /** Refuses a server older than {@link #MINIMUM_MAJOR} with one line naming both versions. */
    static void require(Connection connection) throws SQLException {
        int number;
        String shown;
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int, current_setting('server_version')")) {
            rs.next();
            number = rs.getInt(1);
            shown = rs.getString(2);
        }
        check(number, shown);
    }

    /**
     * @param versionNum {@code server_version_num}, e.g. 120017 for 12.17
     * @param shown {@code server_version}, e.g. {@code 12.17 (Debian 12.17-1)}
     * @throws LayoutException when it is older than {@link #MINIMUM_MAJOR}
     */
    static void check(int versionNum, String shown) {
        if (versionNum / 10_000 < MINIMUM_MAJOR) {
            String version = shown == null || shown.isBlank() ? String.valueOf(versionNum) : shown.strip().split("\\s+")[0];
            throw new LayoutException("segrel needs PostgreSQL >= " + MINIMUM_MAJOR + "; this server is " + version
                    + " (upgrade it, or point POSTGRES_URL at a newer one)");
        }
    }
}
