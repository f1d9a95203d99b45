package dev.segrel.worker;

import dev.segrel.core.config.ConfigException;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Settings;
import dev.segrel.neo4j.Neo4jConfig;
import dev.segrel.neo4j.Neo4jEnvironments;
import dev.segrel.postgres.PostgresConfig;
import dev.segrel.sqs.SqsConfig;

/**
 * Every configuration the worker needs, validated at once: a bad start reports one line per missing
 * or malformed setting, not the first one only.
 */
record WorkerSettings(Settings settings, WorkerConfig worker, Neo4jConfig neo4j, Neo4jEnvironments environments,
        PostgresConfig postgres, SqsConfig sqs, GraphConfig graph) {

    /** Reads every config through one reader. @throws ConfigException with every problem of every config */
    static WorkerSettings read(Settings settings) {
        ConfigReader reader = new ConfigReader(settings);
        WorkerConfig worker = WorkerConfig.read(reader);
        GraphConfig graph = GraphConfig.read(reader);
        Neo4jConfig neo4j = Neo4jConfig.read(reader);
        Neo4jEnvironments environments = Neo4jEnvironments.read(reader, neo4j);
        PostgresConfig postgres = PostgresConfig.read(reader);
        SqsConfig sqs = SqsConfig.read(reader);
        // optional for the CLI's commands, required here
        if (reader.optional(SqsConfig.QUEUE_URL).isEmpty()) {
            reader.problem(SqsConfig.QUEUE_URL + " is not set: the worker needs the URL of its task queue");
        }
        if (reader.optional(SqsConfig.COMPLETED_QUEUE_URL).isEmpty()) {
            reader.problem(SqsConfig.COMPLETED_QUEUE_URL
                    + " is not set: the worker sends each job's completion message there");
        }
        reader.throwIfInvalid();
        return new WorkerSettings(settings, worker, neo4j, environments, postgres, sqs, graph);
    }
}
