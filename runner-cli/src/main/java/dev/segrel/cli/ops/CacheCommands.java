package dev.segrel.cli.ops;

import static java.util.Objects.requireNonNull;

import dev.segrel.cli.CliContext;
import dev.segrel.cli.CliException;
import dev.segrel.cli.CommandGroup;
import dev.segrel.cli.ExitCodes;
import dev.segrel.cli.output.JsonOutput;
import dev.segrel.dragonfly.CacheInvalidation;
import dev.segrel.dragonfly.DragonflyConfig;
import dev.segrel.dragonfly.RedisCache;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code segrel cache}: operate on the shared cache (Dragonfly). */
@Command(
        name = "cache",
        description = "Operate on the shared cache named by DRAGONFLY_URL.",
        footer = ExitCodes.FOOTER)
public final class CacheCommands extends CommandGroup {

    /** {@code segrel cache invalidate [--manifestation M]}. */
    @Command(
            name = "invalidate",
            description = {
                "Delete cached entries of this version (segrel:v1:*), or only those of one manifestation,",
                "with SCAN (never KEYS). Prints how many keys were deleted. Run it after the graph changed.",
                "Waits up to SEGREL_CACHE_CONNECT_TIMEOUT_MS for its connection. Exits 2 when",
                "DRAGONFLY_URL is unset, 4 when the cache cannot be reached. --json prints",
                "{\"deleted\":N,\"manifestation\":M or null}."
            },
            footer = {
                "",
                "Examples:",
                "  segrel cache invalidate",
                "  segrel cache invalidate --manifestation root-bo",
                "  segrel cache invalidate --json | jq .deleted",
                ExitCodes.FOOTER
            })
    public static final class Invalidate implements Callable<Integer> {

        private final CliContext context;

        @Spec
        CommandSpec spec;

        @Option(names = "--manifestation", paramLabel = "M", description = "Only the entries of this manifestation.")
        String manifestation;

        @Mixin
        JsonOutput json;

        public Invalidate(CliContext context) {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call() {
            DragonflyConfig config = configOf(context);
            long deleted;
            try (RedisCache cache = RedisCache.connect(config)) {
                deleted = new CacheInvalidation(cache).invalidate(Optional.ofNullable(manifestation));
            } catch (IllegalStateException e) {
                throw new CliException(ExitCodes.UNAVAILABLE, e.getMessage(), e);
            }
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("deleted", deleted);
            node.put("manifestation", manifestation);
            json.print(spec.commandLine().getOut(), node, "deleted " + deleted + " key(s)"
                    + (manifestation == null ? "" : " of manifestation " + manifestation));
            return ExitCodes.OK;
        }
    }

    /** The cache's configuration; a usage error when it is malformed or unset. */
    static DragonflyConfig configOf(CliContext context) {
        DragonflyConfig config;
        try {
            config = DragonflyConfig.fromSettings(context.settings().get());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
        if (!config.enabled()) {
            throw new CliException(ExitCodes.USAGE, "DRAGONFLY_URL is not set: there is no cache to invalidate");
        }
        return config;
    }
}
