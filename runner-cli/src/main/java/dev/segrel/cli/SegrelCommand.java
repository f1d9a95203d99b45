package dev.segrel.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top command: {@code segrel [--verbose] <command>}. */
@Command(
        name = "segrel",
        mixinStandardHelpOptions = true,
        versionProvider = SegrelVersion.class,
        description = "Related segments across aligned texts.",
        footer = ExitCodes.FOOTER,
        usageHelpAutoWidth = true)
public final class SegrelCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Show stack traces of errors and log at INFO (otherwise an error is one line on stderr).")
    boolean verbose;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command (see segrel --help)");
    }
}
