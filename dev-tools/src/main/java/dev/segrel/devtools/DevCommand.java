package dev.segrel.devtools;

import dev.segrel.cli.CommandGroup;
import dev.segrel.cli.ExitCodes;
import picocli.CommandLine.Command;

/** {@code segrel dev}: the local development stack. */
@Command(
        name = "dev",
        description = "Run segrel's dependencies in process for local development.",
        footer = ExitCodes.FOOTER)
public final class DevCommand extends CommandGroup {}
