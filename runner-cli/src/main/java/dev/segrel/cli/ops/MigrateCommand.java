package dev.segrel.cli.ops;

import static java.util.Objects.requireNonNull;

import dev.segrel.cli.CliContext;
import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;
import dev.segrel.cli.output.JsonOutput;
import dev.segrel.cli.wiring.Services;
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
            "Flyway migrations; safe to rerun. Adopts the existing service's root_job and",
            "segment_task tables, keeping their rows. --json prints",
            "{\"applied\",\"from_version\",\"to_version\",\"adopted_legacy_schema\"}."
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
            } catch (IllegalStateException e) {
                throw new CliException(ExitCodes.INTERNAL, e.getMessage(), e);
            }
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("applied", report.applied());
            node.put("from_version", report.fromVersion());
            node.put("to_version", report.toVersion());
            node.put("adopted_legacy_schema", report.adoptedLegacySchema());
            json.print(spec.commandLine().getOut(), node, report.applied() == 0
                    ? "schema is up to date (version " + report.toVersion() + ")"
                    : "applied " + report.applied() + " migration(s): version "
                            + (report.fromVersion() == null ? "(empty)" : report.fromVersion()) + " -> "
                            + report.toVersion()
                            + (report.adoptedLegacySchema() ? " (adopted the existing service's tables)" : ""));
            return ExitCodes.OK;
        }
    }
}
