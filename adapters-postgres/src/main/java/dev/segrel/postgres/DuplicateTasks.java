package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Task rows that share one (job, segment), which a deployed layout without a unique key on it may hold (v1's
 * claim did not prevent them). The store needs that key unique, so adoption either refuses, saying how
 * many, a few of them and the queries that list and resolve them, or, when asked, keeps the newest row of
 * each: the latest {@code updated_at}, then the latest {@code created_at} (a null counts as oldest), then the
 * row stored last (highest {@code ctid}).
 */
final class DuplicateTasks {

    /** Shown in a refusal. */
    private static final int EXAMPLES = 3;

    private final TableLayout layout;

    DuplicateTasks(TableLayout layout) {
        this.layout = requireNonNull(layout, "layout is null");
    }

    /**
     * What was found.
     *
     * @param pairs (job, segment) pairs with more than one row
     * @param extra rows beyond one per pair: what keeping the newest deletes
     * @param examples a few pairs, as {@code job <id> segment '<id>' (<n> rows)}
     */
    record Found(long pairs, long extra, List<String> examples) {
        Found {
            requireNonNull(examples, "examples is null");
            examples = List.copyOf(examples);
        }
    }

    /** The operator's query that lists them. */
    String listQuery() {
        String job = layout.taskJobColumn();
        return "SELECT " + job + ", segment_id, count(*) FROM " + layout.taskTable() + " GROUP BY " + job
                + ", segment_id HAVING count(*) > 1";
    }

    /** The statement that keeps the newest row of each pair and deletes the others (what --keep-newest runs). */
    String keepNewestStatement() {
        String table = layout.taskTable();
        return "DELETE FROM " + table + " t USING (SELECT ctid, row_number() OVER (PARTITION BY " + layout.taskJobColumn()
                + ", segment_id ORDER BY updated_at DESC NULLS LAST, created_at DESC NULLS LAST, ctid DESC) AS n FROM "
                + table + ") d WHERE t.ctid = d.ctid AND d.n > 1";
    }

    /**
     * The duplicates, if any. Reads the catalog first: a table that already has a valid unique index on the
     * pair cannot hold any, and is not scanned.
     */
    Optional<Found> find(Connection connection) throws SQLException {
        if (!OnlineAdoption.exists(connection, layout.taskTable()) || hasUniqueKey(connection)) {
            return Optional.empty();
        }
        String job = layout.taskJobColumn();
        long pairs;
        long extra;
        try (PreparedStatement s = connection.prepareStatement("SELECT count(*), coalesce(sum(n - 1), 0) FROM (SELECT"
                        + " count(*) AS n FROM " + layout.taskTable() + " GROUP BY " + job + ", segment_id HAVING count(*) > 1) d");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            pairs = rs.getLong(1);
            extra = rs.getLong(2);
        }
        if (pairs == 0) {
            return Optional.empty();
        }
        List<String> examples = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT " + job + "::text, segment_id::text, count(*) FROM "
                        + layout.taskTable() + " GROUP BY " + job + ", segment_id HAVING count(*) > 1 ORDER BY count(*) DESC, 1, 2"
                        + " LIMIT " + EXAMPLES);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                examples.add("job " + rs.getString(1) + " segment '" + rs.getString(2) + "' (" + rs.getLong(3) + " rows)");
            }
        }
        return Optional.of(new Found(pairs, extra, examples));
    }

    /** The one-line refusal for {@code found}. */
    String refusal(Found found) {
        return layout.taskTable() + " has " + found.pairs() + " (" + layout.taskJobColumn() + ", segment_id) pair(s) with"
                + " more than one row (" + found.extra() + " row(s) too many), e.g. " + String.join(", ", found.examples())
                + "; list them with: " + listQuery() + "; keep one row of each pair, e.g. the newest with: "
                + keepNewestStatement() + " (or run segrel migrate --keep-newest, which does that), then run segrel"
                + " migrate again (nothing was changed)";
    }

    /** Keeps the newest row of each pair; returns how many rows were deleted. One statement, one transaction. */
    long keepNewest(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            return s.executeLargeUpdate(keepNewestStatement());
        }
    }

    /** A valid unique index on exactly (job column, segment_id). */
    boolean hasUniqueKey(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(UNIQUE_KEY)) {
            s.setString(1, layout.taskTable());
            s.setString(2, layout.taskJobColumn());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Parameters: the task table, its job column. */
    private static final String UNIQUE_KEY = """
            SELECT 1 FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relname = ? AND i.indisunique AND i.indisvalid
              AND i.indpred IS NULL AND i.indexprs IS NULL
              AND i.indkey::text = (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = ?)::text
                                   || ' ' || (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = c.oid
                                              AND a.attname = 'segment_id')::text""";
}
