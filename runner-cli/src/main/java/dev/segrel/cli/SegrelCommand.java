package dev.segrel.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The top command: {@code segrel [--verbose] <command>}. Its help and version options, and
 * {@code --verbose}, are inherited by every subcommand.
 */
@Command(
        name = "segrel",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = SegrelVersion.class,
        description = "Related segments across aligned texts.",
        footer = ExitCodes.FOOTER,
        usageHelpAutoWidth = true)
public final class SegrelCommand extends CommandGroup {

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Show stack traces of errors and log at INFO (otherwise an error is one line on stderr).")
    boolean verbose;
}
