package dev.segrel.cli.related;

import static java.util.Objects.requireNonNull;

import dev.segrel.cli.Cli;
import dev.segrel.cli.CliContext;
import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;
import dev.segrel.cli.output.JsonOutput;
import dev.segrel.cli.output.MappingsTable;
import dev.segrel.cli.wiring.Services;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.RelationMode;
import dev.segrel.core.domain.Span;
import dev.segrel.core.json.JsonWriter;
import dev.segrel.core.message.MappingJson;
import dev.segrel.core.port.in.FindRelatedSegments;
import dev.segrel.core.port.in.FindRelatedSegments.Query;
import dev.segrel.core.port.in.FindRelatedSegments.Related;
import dev.segrel.core.port.in.FindRelatedSegments.UnknownManifestation;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.core.port.out.InvalidGraphDataException;
import dev.segrel.neo4j.Neo4jConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code segrel related}: the related segments of a span, one query or a stream of them. */
@Command(
        name = "related",
        sortOptions = false,
        description = {
            "Print the segments of other manifestations related to a span.",
            "Reads the graph from Neo4j at NEO4J_URI as NEO4J_USER with NEO4J_PASSWORD",
            "(the environment, over a .env file in the current folder)."
        },
        footer = {
            "",
            "Batch mode: --batch reads one JSON query per line from FILE (- for stdin),",
            "  {\"manifestation_id\":\"M\",\"start\":0,\"end\":10}",
            "  optional: \"segment_id\" (echoed back), \"mode\" (overrides --mode),",
            "and prints one JSON line per query, in input order, flushed as it goes:",
            "  {\"query\":<the query as given>,\"mappings\":[...]}",
            "  {\"query\":<as given, or the line as a string if not JSON>,\"error\":\"...\"}",
            "Blank lines are skipped. A bad line or an unknown manifestation gets an",
            "error line and the rest go on: the exit code is 0 when every line got an",
            "answer line. When Neo4j becomes unreachable, the query at hand gets an",
            "error line, the command stops and exits 4.",
            "",
            "Examples:",
            "  segrel related -m root-bo --start 40 --end 50",
            "  segrel related -m root-bo --start 40 --end 50 --json | jq '.[].manifestation_id'",
            "  segrel related -m root-bo --start 40 --end 50 --mode alignment",
            "  segrel related --batch queries.jsonl > answers.jsonl",
            ExitCodes.FOOTER
        })
public final class RelatedCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @ArgGroup(exclusive = false, multiplicity = "1", heading = "One query:%n")
        Single single;

        @Option(names = "--batch", paramLabel = "FILE|-", required = true,
                description = "Answer the JSON queries of FILE (- for stdin), one per line (see below).")
        String batch;
    }

    static final class Single {
        @Option(names = {"-m", "--manifestation"}, paramLabel = "ID", required = true,
                description = "The manifestation the span belongs to.")
        String manifestation;

        @Option(names = "--start", paramLabel = "N", required = true, description = "First character of the span (>= 0).")
        int start;

        @Option(names = "--end", paramLabel = "N", required = true, description = "One past its last character (> start).")
        int end;
    }

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "segmentation", converter = ModeConverter.class,
            completionCandidates = ModeCandidates.class,
            description = "segmentation (default): the segmentation segments of each manifestation"
                    + " reached; alignment: the aligned segments themselves.")
    RelationMode mode;

    @Mixin
    JsonOutput json;

    public RelatedCommand(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() {
        if (target.batch != null) {
            return batch(target.batch);
        }
        Single q = target.single;
        Span span;
        try {
            span = new Span(q.start, q.end);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "invalid span: " + e.getMessage());
        }
        Query query = new Query(q.manifestation, span, mode);
        try (Services services = Services.open(context)) {
            // invalid graph data reached by the search: exit 2, one line naming it (Cli's failure handler)
            FindRelatedSegments.Result result = services.get(FindRelatedSegments.class).find(query);
            return switch (result) {
                case Related related -> print(related.mappings(), query);
                case UnknownManifestation unknown -> throw new CliException(ExitCodes.NOT_FOUND,
                        "manifestation '" + unknown.manifestationId() + "' not found in " + location(services));
            };
        }
    }

    private int print(List<Mapping> mappings, Query query) {
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            out.println(MappingJson.write(mappings));
        } else {
            MappingsTable.print(mappings, query.manifestationId() + " " + query.span(), out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private int batch(String source) {
        try (BufferedReader in = open(source); Services services = Services.open(context)) {
            FindRelatedSegments relations = services.get(FindRelatedSegments.class);
            String location = location(services);
            PrintWriter out = spec.commandLine().getOut();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                out.println(JsonWriter.write(answer(BatchLine.parse(line, mode), relations, location, out)));
                out.flush();
            }
            return ExitCodes.OK;
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + describe(source) + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> answer(BatchLine line, FindRelatedSegments relations, String location,
            PrintWriter out) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("query", line.echo());
        switch (line) {
            case BatchLine.Invalid invalid -> answer.put("error", invalid.error());
            case BatchLine.Valid valid -> {
                FindRelatedSegments.Result result;
                try {
                    result = relations.find(valid.query());
                } catch (GraphUnavailableException e) {
                    answer.put("error", Cli.oneLine(e.getMessage()));
                    out.println(JsonWriter.write(answer));
                    out.flush();
                    throw e;
                } catch (InvalidGraphDataException e) {
                    // this query's answer only: the next lines may not reach the bad segment
                    answer.put("error", Cli.oneLine(e.getMessage()));
                    return answer;
                }
                switch (result) {
                    case Related related -> answer.put("mappings", MappingJson.toTree(related.mappings()));
                    case UnknownManifestation unknown -> answer.put("error",
                            "manifestation '" + unknown.manifestationId() + "' not found in " + location);
                }
            }
        }
        return answer;
    }

    /** Where the graph is, safe to show: {@code Neo4j at bolt://host:7687}. */
    private static String location(Services services) {
        return "Neo4j at " + services.get(Neo4jConfig.class).redactedUri();
    }

    private BufferedReader open(String source) {
        if ("-".equals(source)) {
            return new BufferedReader(new InputStreamReader(context.stdin(), StandardCharsets.UTF_8));
        }
        Path file = Path.of(source);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CliException(ExitCodes.USAGE, "cannot read batch file " + file + ": "
                    + (Files.exists(file) ? "not a readable file" : "no such file"));
        }
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(String source) {
        return "-".equals(source) ? "stdin" : "batch file " + source;
    }

    static final class ModeConverter implements ITypeConverter<RelationMode> {
        @Override
        public RelationMode convert(String value) {
            try {
                return RelationMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ModeCandidates implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("segmentation", "alignment").iterator();
        }
    }
}
