package dev.segrel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.testkit.graph.TestingNeo4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code segrel job create} over a manifestation holding a reversed segment: one line naming it, nothing created. */
class JobCreateBadGraphDataTest {

    static OpsEnv env;

    @BeforeAll
    static void start() {
        env = OpsEnv.create("job-bad-graph");
        try (var session = TestingNeo4j.get().driver().session()) {
            session.executeWriteWithoutResult(tx -> tx.run(
                    "MATCH (s:Segment {id: 'a2'}) SET s.span_start = 15, s.span_end = 12").consume());
        }
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    @Test
    void aReversedSegmentOfTheJobsManifestationExitsTwoNamingItAndCreatesNothing() {
        CliRun run = env.run("job", "create", "--manifestation", "A");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("segrel: invalid graph data: segment a2 of manifestation A: span_start 15"
                + " >= span_end 12; nothing was created" + System.lineSeparator());
        assertThat(run.out()).isEmpty();
        assertThat(env.schema.queryLong("SELECT count(*) FROM root_job WHERE manifestation_id = 'A'")).isZero();
        assertThat(OpsEnv.drain(env.urls.queue())).isEmpty();
    }

    @Test
    void anotherManifestationIsUnaffected() {
        CliRun run = env.run("job", "create", "--manifestation", "B");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(OpsEnv.drain(env.urls.queue())).hasSize(2);
    }
}
