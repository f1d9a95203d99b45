package dev.segrel.cli.job;

import dev.segrel.cli.CommandGroup;
import dev.segrel.cli.ExitCodes;
import picocli.CommandLine.Command;

/** {@code segrel job}: create jobs and follow them. */
@Command(
        name = "job",
        description = "Create, follow, list jobs and read their results.",
        footer = ExitCodes.FOOTER)
public final class JobCommands extends CommandGroup {}
