package dev.segrel.worker;

import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Settings;
import dev.segrel.core.index.IndexedAlignmentGraph;
import dev.segrel.dragonfly.DragonflyConfig;
import dev.segrel.neo4j.Neo4jConfig;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.sqs.SqsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Every configuration the worker needs, validated at once: a bad start reports one line per missing
 * or malformed setting, not the first one only.
 */
record WorkerSettings(Settings settings, WorkerConfig worker, Neo4jConfig neo4j, PostgresConfig postgres,
        SqsConfig sqs, GraphModule.GraphConfig graph) {

    private static final Pattern PREFIX = Pattern.compile("^invalid [A-Za-z0-9 ]+ configuration: ");

    /** @throws IllegalArgumentException with one line per problem */
    static WorkerSettings read(Settings settings) {
        List<String> problems = new ArrayList<>();
        ConfigReader reader = new ConfigReader(settings);
        WorkerConfig worker = WorkerConfig.read(reader);
        boolean index = reader.bool("SEGREL_GRAPH_INDEX", true);
        Duration indexTtl = reader.seconds("SEGREL_INDEX_TTL_SECONDS", IndexedAlignmentGraph.DEFAULT_TTL, 1, 604_800);
        problems.addAll(reader.problems());
        DragonflyConfig cache = collect(problems, () -> DragonflyConfig.fromSettings(settings));
        Neo4jConfig neo4j = collect(problems, () -> Neo4jConfig.fromSettings(settings));
        PostgresConfig postgres = collect(problems, () -> PostgresConfig.fromSettings(settings));
        SqsConfig sqs = collect(problems, () -> SqsConfig.fromSettings(settings));
        if (settings.get(SqsConfig.QUEUE_URL).isEmpty()) {
            problems.add(SqsConfig.QUEUE_URL + " is not set: the worker needs the URL of its task queue");
        }
        if (settings.get(SqsConfig.COMPLETED_QUEUE_URL).isEmpty()) {
            problems.add(SqsConfig.COMPLETED_QUEUE_URL
                    + " is not set: the worker sends each job's completion message there");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new WorkerSettings(settings, worker, neo4j, postgres, sqs,
                new GraphModule.GraphConfig(index, indexTtl, cache));
    }

    private static <T> T collect(List<String> problems, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            String message = PREFIX.matcher(String.valueOf(e.getMessage())).replaceFirst("");
            for (String line : message.split("; |\n")) {
                if (!line.isBlank()) {
                    problems.add(line.strip());
                }
            }
            return null;
        }
    }
}
