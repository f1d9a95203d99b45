package dev.segrel.devtools;

import dev.segrel.cli.Cli;
import dev.segrel.cli.CliContext;
import dev.segrel.cli.Main;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;

/**
 * {@code ./segrel} from a checkout: every operator command of the production CLI, plus {@code demo},
 * {@code dev up} and {@code bench}, which run the embedded servers and so live here, off the
 * production class path. Builds the command line and runs it; nothing else.
 */
public final class DevMain {

    /**
     * Where each development command is listed in {@code segrel --help}: after the operator command
     * it stood beside before the tools moved out, so the list reads as it always has.
     */
    private static final Map<String, String> LISTED_AFTER = Map.of("dev", "related", "demo", "worker", "bench", "completion");

    private DevMain() {}

    public static void main(String[] args) {
        System.exit(Main.run(commandLine(Main.production()), args));
    }

    /** The production command line with the development commands added. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine cli = Cli.commandLine(context);
        cli.addSubcommand(new CommandLine(new DevCommand()).addSubcommand(new DevUpCommand(context)));
        cli.addSubcommand(new DemoCommand(context));
        cli.addSubcommand(new BenchCommand(context));
        cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
                help -> help.commandList(listed(help.subcommands())));
        return cli;
    }

    /** The commands in help order: each development command after its neighbour, the rest as added. */
    static Map<String, Help> listed(Map<String, Help> added) {
        Map<String, Help> out = new LinkedHashMap<>();
        added.forEach((name, help) -> {
            if (!LISTED_AFTER.containsKey(name)) {
                out.put(name, help);
                LISTED_AFTER.forEach((tool, after) -> {
                    if (after.equals(name) && added.containsKey(tool)) {
                        out.put(tool, added.get(tool));
                    }
                });
            }
        });
        added.forEach(out::putIfAbsent); // a neighbour that is gone: the tool goes last
        return out;
    }
}
