package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides which {@link TableLayout} the connection's current schema holds, reading the catalog only: the
 * layout segrel recorded wins, then {@code SEGREL_TABLE_LAYOUT}, then what the base tables (not views:
 * segrel's own views over an adopted layout must not count) say. Anything ambiguous is a
 * {@link LayoutException}.
 */
final class LayoutDetector {

    /** The tables that tell the layouts apart. */
    private static final List<String> LAYOUT_TABLES = List.of("root_job", "segment_task", "root_jobs", "segment_tasks",
            "segment_mapping");

    private static final String CATALOG = """
            SELECT current_schema() AS schema, c.relname,
                   EXISTS (SELECT 1 FROM pg_attribute a
                           WHERE a.attrelid = c.oid AND a.attname = 'manifestation_id' AND NOT a.attisdropped) AS has_manifestation,
                   EXISTS (SELECT 1 FROM pg_attribute a
                           WHERE a.attrelid = c.oid AND a.attname = 'text_id' AND NOT a.attisdropped) AS has_text
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
              AND c.relname IN ('root_job', 'segment_task', 'root_jobs', 'segment_tasks', 'segment_mapping',
                                'segrel_layout', '%s')""".formatted(PostgresMigrator.HISTORY_TABLE);

    /**
     * What was decided.
     *
     * @param layout the layout to migrate and use
     * @param recorded true when segrel adopted it already (in {@code segrel_layout}, or by a history that predates it)
     * @param deployedTablesWithoutHistory true when the layout's job table exists but segrel has not migrated
     *     this schema yet (no successful V1): the first migration adopts a deployed service's tables
     */
    record Decision(TableLayout layout, boolean recorded, boolean deployedTablesWithoutHistory) {}

    /** What the catalog holds; {@code rootJobsHas*}: which of manifestation_id and text_id {@code root_jobs} has. */
    private record Found(String schema, Set<String> tables, boolean rootJobsHasManifestation, boolean rootJobsHasText,
            List<String> recorded, boolean historyApplied) {

        boolean complete(TableLayout layout) {
            return tables.contains(layout.jobTable()) && tables.contains(layout.taskTable())
                    && switch (layout) {
                        case README -> true;
                        case V1 -> rootJobsHasManifestation;
                        case CURRENT -> rootJobsHasText;
                    };
        }

        String describeTable(String table) {
            if (!table.equals("root_jobs")) {
                return table;
            }
            if (rootJobsHasManifestation && rootJobsHasText) {
                return "root_jobs (with manifestation_id and text_id)";
            }
            return rootJobsHasManifestation ? "root_jobs (with manifestation_id)"
                    : rootJobsHasText ? "root_jobs (with text_id)" : "root_jobs (with neither manifestation_id nor text_id)";
        }
    }

    private LayoutDetector() {}

    /**
     * Decides the layout; for one not adopted yet, also checks that its rows can be adopted as they are
     * (no duplicate tasks, unless {@code allowDuplicates}: the caller keeps the newest), so that a refusal
     * changes nothing (not even Flyway's history). Refuses a server older than {@link ServerVersion#MINIMUM_MAJOR}.
     */
    static Decision decide(Connection connection, Optional<TableLayout> configured, boolean allowDuplicates)
            throws SQLException {
        requireNonNull(configured, "configured is null");
        ServerVersion.require(connection);
        Found found = read(connection);
        Decision decision = decide(found, configured);
        if (!decision.recorded() && decision.deployedTablesWithoutHistory() && !allowDuplicates) {
            DuplicateTasks duplicates = new DuplicateTasks(decision.layout());
            Optional<DuplicateTasks.Found> dup = duplicates.find(connection);
            if (dup.isPresent()) {
                throw new LayoutException(duplicates.refusal(dup.get()));
            }
        }
        return decision;
    }

    private static Found read(Connection connection) throws SQLException {
        String schema = null;
        Set<String> tables = new LinkedHashSet<>();
        boolean manifestation = false;
        boolean text = false;
        try (PreparedStatement s = connection.prepareStatement(CATALOG);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                schema = rs.getString("schema");
                String table = rs.getString("relname");
                tables.add(table);
                if (table.equals("root_jobs")) {
                    manifestation = rs.getBoolean("has_manifestation");
                    text = rs.getBoolean("has_text");
                }
            }
        }
        if (schema == null) {
            try (PreparedStatement s = connection.prepareStatement("SELECT current_schema()");
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                schema = rs.getString(1);
            }
        }
        List<String> recorded = new ArrayList<>();
        if (tables.contains("segrel_layout")) {
            try (PreparedStatement s = connection.prepareStatement("SELECT layout FROM segrel_layout ORDER BY adopted_at, layout");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    recorded.add(rs.getString(1));
                }
            }
        }
        boolean historyApplied = false;
        if (tables.contains(PostgresMigrator.HISTORY_TABLE)) {
            try (PreparedStatement s = connection.prepareStatement(
                            "SELECT count(*) FROM " + PostgresMigrator.HISTORY_TABLE
                                    // a baseline at 1 is written just before the migrations after it: alone, it
                                    // is a run that failed after the online adoption, which runs again
                                    + " WHERE version = '1' AND success AND type <> 'BASELINE'");
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                historyApplied = rs.getLong(1) > 0;
            }
        }
        return new Found(schema == null ? "(none)" : schema, tables, manifestation, text, recorded, historyApplied);
    }

    private static Decision decide(Found found, Optional<TableLayout> configured) {
        Optional<TableLayout> recorded = recorded(found);
        if (recorded.isPresent()) {
            if (configured.isPresent() && configured.get() != recorded.get()) {
                throw new LayoutException("segrel adopted the " + recorded.get().describe() + " layout in schema "
                        + found.schema + " already; " + PostgresConfig.TABLE_LAYOUT_KEY + "=" + configured.get().key()
                        + " disagrees: unset it, or set it to " + recorded.get().key());
            }
            return new Decision(recorded.get(), true, false);
        }
        // a failed run may have left Flyway's baseline behind, but no V1
        boolean noHistory = !found.historyApplied;
        if (configured.isPresent()) {
            TableLayout layout = configured.get();
            if (layout != TableLayout.README && !found.complete(layout)) {
                throw new LayoutException(PostgresConfig.TABLE_LAYOUT_KEY + " is " + layout.key() + " but schema "
                        + found.schema + " has no " + layout.tables() + (layout.textColumn() == null ? ""
                                : " with " + layout.jobTable() + "." + layout.textColumn())
                        + " (found " + found(found) + ")");
            }
            return new Decision(layout, false, noHistory && found.tables.contains(layout.jobTable()));
        }
        List<TableLayout> complete = new ArrayList<>();
        for (TableLayout layout : TableLayout.values()) {
            if (found.complete(layout)) {
                complete.add(layout);
            }
        }
        Set<String> leftover = new LinkedHashSet<>();
        for (String table : LAYOUT_TABLES) {
            if (found.tables.contains(table)
                    && complete.stream().noneMatch(l -> l.jobTable().equals(table) || l.taskTable().equals(table))) {
                leftover.add(table);
            }
        }
        if (complete.isEmpty() && leftover.isEmpty()) {
            // nothing of any layout: segrel creates its own tables, the readme layout
            return new Decision(TableLayout.README, false, false);
        }
        if (complete.size() == 1 && leftover.isEmpty()) {
            return new Decision(complete.getFirst(), false, noHistory);
        }
        List<String> parts = new ArrayList<>();
        complete.forEach(l -> parts.add(l.tables() + " (" + l.key() + ")"));
        leftover.forEach(t -> parts.add(found.describeTable(t)));
        if (complete.isEmpty()) {
            throw new LayoutException("found only " + and(parts) + " in schema " + found.schema
                    + ", which is none of the table layouts " + TableLayout.describeAll()
                    + ": point POSTGRES_URL at the deployed service's database and schema");
        }
        throw new LayoutException("found " + and(parts) + " in schema " + found.schema + ": set "
                + PostgresConfig.TABLE_LAYOUT_KEY + " to the layout to adopt ("
                + complete.stream().map(TableLayout::key).collect(Collectors.joining(" or ")) + ")");
    }

    private static Optional<TableLayout> recorded(Found found) {
        if (found.recorded.size() > 1) {
            throw new LayoutException("segrel_layout in schema " + found.schema + " names more than one layout ("
                    + String.join(", ", found.recorded) + "): keep the row of the layout segrel adopted");
        }
        if (found.recorded.size() == 1) {
            String key = found.recorded.getFirst();
            return Optional.of(TableLayout.fromKey(key).orElseThrow(() -> new LayoutException(
                    "segrel_layout in schema " + found.schema + " names an unknown layout '" + key + "' (expected "
                            + TableLayout.keys() + ")")));
        }
        // segrel migrated this schema before it recorded layouts: it knew only its own tables then
        return found.historyApplied ? Optional.of(TableLayout.README) : Optional.empty();
    }

    private static String found(Found found) {
        List<String> tables = LAYOUT_TABLES.stream().filter(found.tables::contains).map(found::describeTable).toList();
        return tables.isEmpty() ? "none of them" : String.join(", ", tables);
    }

    private static String and(List<String> parts) {
        return parts.size() == 1 ? parts.getFirst()
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.getLast();
    }
}
