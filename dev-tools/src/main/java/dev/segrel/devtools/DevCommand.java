package dev.segrel.devtools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code segrel dev}: the local development stack. */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        versionProvider = SegrelVersion.class,
        description = "Run segrel's dependencies in process for local development.",
        footer = ExitCodes.FOOTER)
public final class DevCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command (up)");
    }
}
