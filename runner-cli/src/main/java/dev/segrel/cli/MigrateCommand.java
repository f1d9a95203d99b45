package dev.segrel.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segrel.postgres.PostgresMigrator.MigrationReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code segrel migrate}: applies the schema migrations to POSTGRES_URL. */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        versionProvider = SegrelVersion.class,
        description = {
            "Create or upgrade segrel's tables in POSTGRES_URL.",
            "Flyway migrations; safe to rerun. Adopts the existing service's root_job and",
            "segment_task tables, keeping their rows."
        },
        footer = {"", "Examples:", "  segrel migrate", "  POSTGRES_URL=postgresql://u:p@db:5432/segrel segrel migrate --json",
            ExitCodes.FOOTER})
public final class MigrateCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print {\"applied\",\"from_version\",\"to_version\",\"adopted_legacy_schema\"}.")
    boolean json;

    public MigrateCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() {
        try (Connections c = new Connections(context)) {
            MigrationReport report;
            try {
                report = c.postgres().migrator().migrate();
            } catch (IllegalStateException e) {
                throw new CliException(ExitCodes.INTERNAL, e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode node = MappingsJson.MAPPER.createObjectNode();
                node.put("applied", report.applied());
                node.put("from_version", report.fromVersion());
                node.put("to_version", report.toVersion());
                node.put("adopted_legacy_schema", report.adoptedLegacySchema());
                out.println(MappingsJson.write(node));
            } else if (report.applied() == 0) {
                out.println("schema is up to date (version " + report.toVersion() + ")");
            } else {
                out.println("applied " + report.applied() + " migration(s): version "
                        + (report.fromVersion() == null ? "(empty)" : report.fromVersion()) + " -> " + report.toVersion()
                        + (report.adoptedLegacySchema() ? " (adopted the existing service's tables)" : ""));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
