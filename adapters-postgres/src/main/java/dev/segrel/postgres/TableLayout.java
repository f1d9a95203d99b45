package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The tables a database keeps jobs and tasks in. Three layouts exist in the field; segrel adopts each in
 * place. The store's SQL always reads and writes {@code root_job} and {@code segment_task} with segrel's
 * column names: in the readme layout those are the tables themselves; in v1 and current they are
 * auto-updatable views over the deployed tables, which keep their names, columns and rows.
 */
public enum TableLayout {

    /** {@code root_job} / {@code segment_task}: the seed README's tables, and what segrel creates in an empty database. */
    README("readme", "root_job", "segment_task", "job_id", null),
    /** {@code root_jobs} (with {@code manifestation_id}) / {@code segment_tasks}: the deployed worker's first Alembic revision. */
    V1("v1", "root_jobs", "segment_tasks", "job_id", "manifestation_id"),
    /** {@code root_jobs} (with {@code text_id}) / {@code segment_mapping}: the deployed worker's later revisions. */
    CURRENT("current", "root_jobs", "segment_mapping", "root_job_id", "text_id");

    private final String key;
    private final String jobTable;
    private final String taskTable;
    private final String taskJobColumn;
    private final String textColumn;

    TableLayout(String key, String jobTable, String taskTable, String taskJobColumn, String textColumn) {
        this.key = key;
        this.jobTable = jobTable;
        this.taskTable = taskTable;
        this.taskJobColumn = taskJobColumn;
        this.textColumn = textColumn;
    }

    /** The name {@code SEGREL_TABLE_LAYOUT} and {@code segrel_layout} use: {@code readme}, {@code v1} or {@code current}. */
    public String key() {
        return key;
    }

    /** The base table of jobs. */
    public String jobTable() {
        return jobTable;
    }

    /** The base table of tasks. */
    public String taskTable() {
        return taskTable;
    }

    /** For messages: {@code current (root_jobs/segment_mapping)}. */
    public String describe() {
        return key + " (" + tables() + ")";
    }

    /** The task table's column that names its job: {@code job_id}, or current's {@code root_job_id}. */
    String taskJobColumn() {
        return taskJobColumn;
    }

    /** {@code root_jobs/segment_mapping}. */
    String tables() {
        return jobTable + "/" + taskTable;
    }

    /**
     * The job table's column that tells this layout's {@code root_jobs} apart (the manifestation's id under
     * its name in the layout), or null for readme, whose table name says it all.
     */
    String textColumn() {
        return textColumn;
    }

    /** The layout a {@code SEGREL_TABLE_LAYOUT} or {@code segrel_layout} value names, if any. */
    public static Optional<TableLayout> fromKey(String key) {
        requireNonNull(key, "key is null");
        String wanted = key.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(l -> l.key.equals(wanted)).findFirst();
    }

    /** {@code readme, v1 or current}. */
    static String keys() {
        List<String> keys = Arrays.stream(values()).map(TableLayout::key).toList();
        return String.join(", ", keys.subList(0, keys.size() - 1)) + " or " + keys.getLast();
    }

    /** Where its Flyway migrations live, in order. */
    List<String> locations() {
        return switch (this) {
            // V1 is the file deployed databases already hold the checksum of
            case README -> List.of("classpath:db/migration", "classpath:db/common", "classpath:db/layout/readme");
            case V1, CURRENT -> List.of("classpath:db/adopt", "classpath:db/common", "classpath:db/layout/" + key);
        };
    }

    /** The values of the placeholders in the shared migrations. */
    Map<String, String> placeholders() {
        return Map.of("job_table", jobTable, "task_table", taskTable, "task_job_id", taskJobColumn);
    }

    static String describeAll() {
        return Arrays.stream(values()).map(TableLayout::describe).collect(Collectors.joining(", "));
    }
}
