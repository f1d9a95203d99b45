package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source whose every connection reads and writes timestamps without time zone (the deployed
 * layouts' columns) as UTC, whatever the JVM's zone: the migrator's sessions, as the pool's are by
 * its {@code connectionInitSql}.
 */
final class UtcSessions implements DataSource {

    private final DataSource delegate;
    private final String[] settings;

    /** Also runs {@code settings} (e.g. a {@code SET lock_timeout}) on every connection. */
    UtcSessions(DataSource delegate, String... settings) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.settings = settings.clone();
    }

    private Connection utc(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(PostgresMigrator.UTC_SESSION);
            for (String setting : settings) {
                s.execute(setting);
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return utc(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return utc(delegate.getConnection(username, password));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || delegate.isWrapperFor(type);
    }
}
