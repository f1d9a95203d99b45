package dev.segrel.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code segrel job}: create, follow, list jobs and fetch their results. */
@Command(
        name = "job",
        mixinStandardHelpOptions = true,
        versionProvider = SegrelVersion.class,
        description = "Create jobs, follow their progress and fetch their results (PostgreSQL, SQS, Neo4j).",
        footer = ExitCodes.FOOTER)
public final class JobCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command (create, status, list, results)");
    }
}
