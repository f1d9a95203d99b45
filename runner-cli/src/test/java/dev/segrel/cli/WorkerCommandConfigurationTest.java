package dev.segrel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** segrel worker with a configuration it refuses: no server is needed to get that far. */
class WorkerCommandConfigurationTest {

    @Test
    void everyProblemIsNamedOnOneLineWithoutSecrets() {
        CliRun run = CliRun.run(Settings.of(Map.of(
                "SEGREL_CONCURRENCY", "lots",
                "NEO4J_URI", "http://neo4j:s3cret@graph:7474",
                "POSTGRES_URL", "postgresql://u:hunter2@db:99999/x")), "worker");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).containsExactly("segrel: invalid configuration: "
                + "SEGREL_CONCURRENCY must be an integer between 1 and 1024, was 'lots'; "
                + "NEO4J_URI must start with bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s:// or neo4j+ssc://, "
                + "was 'http://neo4j:***@graph:7474'; "
                + "POSTGRES_URL port must be 1..65535, was 99999; "
                + "SQS_QUEUE_URL is not set: the worker needs the URL of its task queue; "
                + "SQS_COMPLETED_QUEUE_URL is not set: the worker sends each job's completion message there");
    }
}
