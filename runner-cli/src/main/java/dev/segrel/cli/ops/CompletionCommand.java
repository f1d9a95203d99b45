package dev.segrel.cli.ops;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import dev.segrel.cli.CliContext;
import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;

/** {@code segrel completion}: the shell completion script (bash, and zsh through bashcompinit). */
@Command(
        name = "completion",
        description = {
            "Print the shell completion script for segrel (bash; zsh with bashcompinit).",
            "Load it in the current shell, or install it once:"
        },
        footer = {
            "",
            "Examples:",
            "  source <(./segrel completion)",
            "  ./segrel completion > ~/.local/share/bash-completion/completions/segrel",
            "  zsh: autoload -U +X bashcompinit && bashcompinit && source <(./segrel completion)",
            ExitCodes.FOOTER
        })
public final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("segrel", root));
        out.flush();
        return ExitCodes.OK;
    }
}
