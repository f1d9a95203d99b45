package dev.segrel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segrel.dragonfly.CacheInvalidation;
import dev.segrel.dragonfly.DragonflyConfig;
import dev.segrel.dragonfly.RedisCache;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code segrel cache}: operate on the shared cache (Dragonfly). */
@Command(
        name = "cache",
        mixinStandardHelpOptions = true,
        versionProvider = SegrelVersion.class,
        description = "Operate on the shared cache named by DRAGONFLY_URL.",
        subcommands = CacheCommand.Invalidate.class,
        footer = ExitCodes.FOOTER)
public final class CacheCommand implements Runnable {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    public CacheCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command (invalidate)");
    }

    /** {@code segrel cache invalidate [--manifestation M]}. */
    @Command(
            name = "invalidate",
            mixinStandardHelpOptions = true,
            versionProvider = SegrelVersion.class,
            description = {
                "Delete cached entries of this version (segrel:v1:*), or only those of one manifestation,",
                "with SCAN (never KEYS). Prints how many keys were deleted. Run it after the graph changed.",
                "Waits up to SEGREL_CACHE_CONNECT_TIMEOUT_MS for its connection. Exits 2 when",
                "DRAGONFLY_URL is unset, 4 when the cache cannot be reached."
            },
            footer = {
                "",
                "Examples:",
                "  segrel cache invalidate",
                "  segrel cache invalidate --manifestation root-bo",
                "  segrel cache invalidate --json | jq .deleted",
                ExitCodes.FOOTER
            })
    static final class Invalidate implements Callable<Integer> {

        @picocli.CommandLine.ParentCommand
        CacheCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--manifestation", paramLabel = "M", description = "Only the entries of this manifestation.")
        String manifestation;

        @Option(names = "--json", description = "Print {\"deleted\":N,\"manifestation\":M or null} as JSON.")
        boolean json;

        @Override
        public Integer call() {
            DragonflyConfig config;
            try {
                config = DragonflyConfig.fromSettings(parent.context.settings().get());
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage());
            }
            if (!config.enabled()) {
                throw new CliException(ExitCodes.USAGE, "DRAGONFLY_URL is not set: there is no cache to invalidate");
            }
            long deleted;
            try (RedisCache cache = RedisCache.connect(config)) {
                deleted = new CacheInvalidation(cache).invalidate(Optional.ofNullable(manifestation));
            } catch (IllegalStateException e) {
                throw new CliException(ExitCodes.UNAVAILABLE, e.getMessage(), e);
            }
            if (json) {
                ObjectNode node = MappingsJson.MAPPER.createObjectNode();
                node.put("deleted", deleted);
                node.put("manifestation", manifestation);
                spec.commandLine().getOut().println(MappingsJson.write(node));
            } else {
                spec.commandLine().getOut().println("deleted " + deleted + " key(s)"
                        + (manifestation == null ? "" : " of manifestation " + manifestation));
            }
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
