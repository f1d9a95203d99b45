package dev.segrel.postgres;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.port.out.ResultTooLargeException;
import dev.segrel.core.port.out.StoreUnavailableException;
import java.sql.SQLException;
import org.jdbi.v3.core.JdbiException;

/** Turns driver and Jdbi faults into the port's exceptions, with messages that carry no secret. */
final class Failures {

    private Failures() {}

    static RuntimeException translate(RuntimeException e, String doing) {
        SQLException sql = findSql(e);
        String state = sql != null ? sql.getSQLState() : null;
        String reason = Secrets.redact(sql != null ? sql.getMessage() : String.valueOf(e.getMessage()));
        if (state != null && state.equals("54000")) {
            return new ResultTooLargeException(doing + ": " + reason);
        }
        if (state != null && state.equals("42P01")) {
            return new IllegalStateException(doing + ": segrel's tables are missing; run `segrel migrate` (" + reason + ")", e);
        }
        if (state == null
                || state.startsWith("08")
                || state.startsWith("57")
                || state.startsWith("53")
                || state.equals("40001")
                || state.equals("40P01")) {
            return new StoreUnavailableException(doing + ": " + reason, e);
        }
        if (e instanceof JdbiException) {
            return new IllegalStateException(doing + ": " + reason + " (SQLState " + state + ")", e);
        }
        return e;
    }

    private static SQLException findSql(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }
}
