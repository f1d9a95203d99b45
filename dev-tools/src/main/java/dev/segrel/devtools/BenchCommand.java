package dev.segrel.devtools;

import static java.util.Objects.requireNonNull;

import dev.segrel.bench.Bench;
import dev.segrel.cli.CliContext;
import dev.segrel.cli.ExitCodes;
import dev.segrel.cli.output.JsonOutput;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code segrel bench}: the side-by-side benchmark on embedded services. */
@Command(
        name = "bench",
        resourceBundle = "dev.segrel.devtools.BenchCommand",
        sortOptions = false,
        description = {
            "Measure the ways of computing related segments side by side, in this process.",
            "Generates a synthetic canon (deterministic from --seed) into an embedded Neo4j and",
            "runs one job (every segment of the first manifestation): (a) the existing service's",
            "way, a query per question; (a') segrel's batched adapter; (b) (a) with its cache in",
            "Dragonfly (DRAGONFLY_URL, else a Redis on 127.0.0.1:6379, else a redis-server it",
            "starts, else skipped); (c) the alignment index, cold and warm. Then, on an embedded",
            "SQS and PostgreSQL: the ceilings of each server alone (SQS receiving and deleting",
            "the job's messages; PostgreSQL storing its precomputed results, 500 a statement) and",
            "the real worker running the job end to end, with single-segment messages and with",
            "batch messages of 500 (on a fresh worker, then warm), its stored results checked.",
            "Prints a table, then one line of JSON (--json: only the JSON). Progress goes to stderr."
        },
        footer = {
            "",
            "Examples:",
            "  segrel bench",
            "  segrel bench --manifestations 12 --segments 5000 --workers 2",
            "  segrel bench --json | jq .index_vs_plain",
            "  segrel bench --manifestations 4 --segments 1000 --plain-sample 20",
            ExitCodes.FOOTER
        })
public final class BenchCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--manifestations", paramLabel = "K", defaultValue = "6",
            description = "Manifestations in the canon (default: ${DEFAULT-VALUE}).")
    int manifestations;

    @Option(names = "--segments", paramLabel = "N", defaultValue = "1000",
            description = "Segments per manifestation (default: ${DEFAULT-VALUE}).")
    int segments;

    @Option(names = "--workers", paramLabel = "W", defaultValue = "2",
            description = "Threads computing segments (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--plain-sample", paramLabel = "S", defaultValue = "200",
            description = "Segments the slow paths (a), (a'), (b) compute, spread over the job (default: ${DEFAULT-VALUE}).")
    int plainSample;

    @Option(names = "--end-to-end-segments", paramLabel = "E",
            description = "Segments of the ceilings' and the worker's job, spread over the job; 0 skips them"
                    + " (default: the whole job, --segments).")
    Integer endToEndSegments;

    @Option(names = "--seed", defaultValue = "42", description = "Corpus seed (default: ${DEFAULT-VALUE}).")
    long seed;

    /** Described in {@code BenchCommand.properties}: here {@code --json} prints the summary the text ends with. */
    @Mixin
    JsonOutput json;

    public BenchCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() throws Exception {
        int endToEnd = endToEndSegments == null ? segments : endToEndSegments;
        if (manifestations < 2 || segments < 2 || workers < 1 || plainSample < 1 || endToEnd < 0) {
            throw new ParameterException(spec.commandLine(), "--manifestations and --segments must be >= 2,"
                    + " --workers and --plain-sample >= 1, --end-to-end-segments >= 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> redis = context.settings().get().get("DRAGONFLY_URL");
        Bench.Result result = Bench.run(new Bench.Options(manifestations, segments, workers, seed, plainSample, redis,
                endToEnd), err);
        if (!json.enabled()) {
            out.print(result.table());
        }
        out.println(result.json());
        out.flush();
        return ExitCodes.OK;
    }
}
