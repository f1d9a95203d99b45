package dev.segrel.cli.ops;

import static java.util.Objects.requireNonNull;

import dev.segrel.cli.CliContext;
import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;
import dev.segrel.cli.output.JsonOutput;
import dev.segrel.cli.wiring.Services;
import dev.segrel.postgres.LayoutException;
import dev.segrel.postgres.PostgresMigrator;
import dev.segrel.postgres.PostgresMigrator.MigrationReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code segrel migrate}: applies the schema migrations to POSTGRES_URL. */
@Command(
        name = "migrate",
        description = {
            "Create or upgrade segrel's tables in POSTGRES_URL.",
            "Flyway migrations; safe to rerun. Finds which table layout the database holds",
            "(readme: root_job/segment_task, v1: root_jobs/segment_tasks, current:",
            "root_jobs/segment_mapping) and adopts it in place, keeping every row; an empty",
            "database gets segrel's own tables (readme). SEGREL_TABLE_LAYOUT picks the layout",
            "when the tables match none or several (exit 2 until it does).",
            "Adoption runs beside the deployed producer: each lock is waited for at most",
            "SEGREL_MIGRATE_LOCK_TIMEOUT_MS (default 1000) and tried again; a table held through",
            "every attempt exits 4 naming it, keeping what was done (run it again). Duplicate",
            "(job, segment) task rows are refused (exit 2, nothing changed) with the queries that",
            "list and resolve them, unless --keep-newest. Jobs whose tasks all ended are finished.",
            "Needs PostgreSQL >= 13. --json prints {\"applied\",\"from_version\",\"to_version\",",
            "\"adopted_legacy_schema\",\"layout\",\"duplicates_deleted\",\"jobs_finished\",\"lock_retries\"}."
        },
        footer = {"", "Examples:", "  segrel migrate", "  segrel migrate --keep-newest",
            "  POSTGRES_URL=postgresql://u:p@db:5432/segrel segrel migrate --json",
            ExitCodes.FOOTER})
public final class MigrateCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    JsonOutput json;

    @Option(names = "--keep-newest", description = {
        "Where a deployed task table holds several rows for one (job, segment), keep the",
        "newest (latest updated_at, then created_at, then the row stored last) and delete",
        "the others, instead of refusing."})
    boolean keepNewest;

    public MigrateCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() {
        try (Services services = Services.open(context)) {
            MigrationReport report;
            try {
                report = services.get(PostgresMigrator.class).migrate(keepNewest);
            } catch (LayoutException e) {
                // the tables cannot be adopted as they are: the operator decides (SEGREL_TABLE_LAYOUT, duplicates)
                throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
            } catch (IllegalStateException e) {
                throw new CliException(ExitCodes.INTERNAL, e.getMessage(), e);
            }
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("applied", report.applied());
            node.put("from_version", report.fromVersion());
            node.put("to_version", report.toVersion());
            node.put("adopted_legacy_schema", report.adoptedLegacySchema());
            node.put("layout", report.layout().key());
            node.put("duplicates_deleted", report.duplicatesDeleted());
            node.put("jobs_finished", report.jobsFinished());
            node.put("lock_retries", report.lockRetries());
            String rows = report.rowsSummary().isEmpty() ? "" : "; " + report.rowsSummary();
            json.print(spec.commandLine().getOut(), node, report.applied() == 0
                    ? "schema is up to date (version " + report.toVersion() + ", layout " + report.layout().describe() + ")"
                    : "applied " + report.applied() + " migration(s): version "
                            + (report.fromVersion() == null ? "(empty)" : report.fromVersion()) + " -> "
                            + report.toVersion() + (report.adoptedLegacySchema()
                                    ? " (adopted the deployed service's tables, layout " : " (layout ")
                            + report.layout().describe() + ")" + rows);
            return ExitCodes.OK;
        }
    }
}
