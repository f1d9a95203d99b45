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
            "when the tables match none or several (exit 2 until it does). --json prints",
            "{\"applied\",\"from_version\",\"to_version\",\"adopted_legacy_schema\",\"layout\"}."
        },
        footer = {"", "Examples:", "  segrel migrate", "  POSTGRES_URL=postgresql://u:p@db:5432/segrel segrel migrate --json",
            ExitCodes.FOOTER})
public final class MigrateCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    JsonOutput json;

    public MigrateCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() {
        try (Services services = Services.open(context)) {
            MigrationReport report;
            try {
                report = services.get(PostgresMigrator.class).migrate();
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
            json.print(spec.commandLine().getOut(), node, report.applied() == 0
                    ? "schema is up to date (version " + report.toVersion() + ", layout " + report.layout().describe() + ")"
                    : "applied " + report.applied() + " migration(s): version "
                            + (report.fromVersion() == null ? "(empty)" : report.fromVersion()) + " -> "
                            + report.toVersion() + (report.adoptedLegacySchema()
                                    ? " (adopted the deployed service's tables, layout " : " (layout ")
                            + report.layout().describe() + ")");
            return ExitCodes.OK;
        }
    }
}
