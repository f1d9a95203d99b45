package dev.segrel.cli;

import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.JobQuery;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.domain.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobCommandsTest {

    static OpsEnv env;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        env = OpsEnv.create("job-commands");
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    @AfterEach
    void emptyTheQueue() {
        OpsEnv.drain(env.urls.queue());
        // jobs left unfinished by one test must not block creates of the next
        env.schema.execute("UPDATE root_job SET status = 'COMPLETED'");
    }

    static JsonNode json(String text) throws Exception {
        return TestJson.MAPPER.readTree(text);
    }

    static JobId created(CliRun run) {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JobId.parse(run.out().strip());
    }

    // ------------------------------------------------------------------------ create

    @Test
    void createPrintsTheJobIdStoresItsTasksAndSendsOneMessagePerSegment() throws Exception {
        CliRun run = env.run("job", "create", "--manifestation", "A");

        JobId job = created(run);
        assertThat(run.err()).contains("created job " + job + ": 3 segments of A, 3 messages sent");
        JobStatus status = env.jobs().jobStatus(job).orElseThrow();
        assertThat(status.totalSegments()).isEqualTo(3);
        assertThat(status.queued()).isEqualTo(3);
        List<String> bodies = OpsEnv.drain(env.urls.queue());
        assertThat(bodies).hasSize(3);
        assertThat(bodies).contains("{\"job_id\":\"" + job + "\",\"manifestation_id\":\"A\",\"segment_id\":\"a2\","
                + "\"start\":10,\"end\":20}");
    }

    @Test
    void batchSizeSendsBatchFormatMessages() throws Exception {
        CliRun run = env.run("job", "create", "-m", "A", "--batch-size", "2", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode out = json(run.out());
        assertThat(out.get("segments").asInt()).isEqualTo(3);
        assertThat(out.get("messages").asInt()).isEqualTo(2);
        assertThat(out.get("created").asBoolean()).isTrue();
        List<String> bodies = OpsEnv.drain(env.urls.queue());
        assertThat(bodies).hasSize(2);
        assertThat(bodies).allSatisfy(b -> assertThat(b).contains("\"root_job_id\":\"" + out.get("job_id").asText() + "\""));
    }

    @Test
    void paginationSourceTakesThePaginationSegments() {
        JobId job = created(env.run("job", "create", "-m", "P", "--source", "pagination"));

        assertThat(env.jobs().jobStatus(job).orElseThrow().totalSegments()).isEqualTo(2);
    }

    @Test
    void aManifestationWithoutSegmentsIsAnErrorAndCreatesNothing() {
        CliRun run = env.run("job", "create", "-m", "P");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).singleElement().asString()
                .contains("manifestation 'P' has no segmentation segments").contains("nothing was created")
                .contains("--source pagination");
        assertThat(env.jobs().listJobs(new dev.segrel.core.domain.JobQuery(null, "P", 10)))
                .noneMatch(j -> j.state() != JobState.COMPLETED);
        assertThat(OpsEnv.drain(env.urls.queue())).isEmpty();
    }

    @Test
    void anUnknownManifestationExits3() {
        CliRun run = env.run("job", "create", "-m", "nowhere");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run.err().lines()).singleElement().asString().contains("manifestation 'nowhere' not found");
    }

    @Test
    void aSecondJobForARunningManifestationIsRefusedUnlessForced() {
        JobId first = created(env.run("job", "create", "-m", "B"));

        CliRun refused = env.run("job", "create", "-m", "B");
        CliRun forced = env.run("job", "create", "-m", "B", "--force");

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err().lines()).singleElement().asString()
                .contains("job " + first + " of manifestation B is QUEUED").contains("--force");
        assertThat(created(forced)).isNotEqualTo(first);
    }

    @Test
    void rerunningWithTheJobIdResendsOnlyTheQueuedTasks() {
        String id = UUID.randomUUID().toString();
        JobId job = created(env.run("job", "create", "-m", "A", "--job-id", id));
        OpsEnv.drain(env.urls.queue());
        env.complete(job, "a1", List.of());

        CliRun again = env.run("job", "create", "-m", "A", "--job-id", id);

        assertThat(created(again)).isEqualTo(job);
        assertThat(again.err()).contains("re-sent 2 messages for its 2 QUEUED tasks");
        assertThat(OpsEnv.drain(env.urls.queue())).hasSize(2).noneMatch(b -> b.contains("\"a1\""));
        assertThat(env.jobs().jobStatus(job).orElseThrow().totalSegments()).isEqualTo(3);
    }

    @Test
    void theJobIdOfAnotherManifestationIsRefused() {
        String id = UUID.randomUUID().toString();
        created(env.run("job", "create", "-m", "A", "--job-id", id));

        CliRun run = env.run("job", "create", "-m", "B", "--job-id", id);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("exists for manifestation A, not B");
    }

    @Test
    void fromFileCreatesTheListedSegmentsInEitherSpanForm() throws Exception {
        Path file = dir.resolve("segments.jsonl");
        Files.writeString(file, """
                {"segment_id":"s1","start":0,"end":10}

                {"segment_id":"s2","span":{"start":10,"end":20}}
                """);

        JobId job = created(env.run("job", "create", "-m", "FILE-M", "--from-file", file.toString()));

        assertThat(env.reads().task(new dev.segrel.core.domain.TaskKey(job, "s2")).orElseThrow().span())
                .isEqualTo(new dev.segrel.core.domain.Span(10, 20));
        assertThat(OpsEnv.drain(env.urls.queue())).hasSize(2);
    }

    @Test
    void fromFileAloneTakesTheManifestationItsLinesName() throws Exception {
        Path file = dir.resolve("named.jsonl");
        Files.writeString(file, """
                {"manifestation_id":"NAMED-M","segment_id":"s1","start":0,"end":10}
                {"manifestation_id":"NAMED-M","segment_id":"s2","span":{"start":10,"end":20}}
                """);

        JobId job = created(env.run("job", "create", "--from-file", file.toString()));

        assertThat(env.jobs().jobStatus(job).orElseThrow().manifestationId()).isEqualTo("NAMED-M");
        assertThat(OpsEnv.drain(env.urls.queue())).hasSize(2);
    }

    @Test
    void aFileOfTwoManifestationsOrOneNamingNoneWithoutTheOptionIsRefused() throws Exception {
        Path two = dir.resolve("two.jsonl");
        Files.writeString(two, """
                {"manifestation_id":"X","segment_id":"s1","start":0,"end":10}
                {"manifestation_id":"Y","segment_id":"s2","start":10,"end":20}
                """);
        Path unnamed = dir.resolve("unnamed.jsonl");
        Files.writeString(unnamed, """
                {"segment_id":"s1","start":0,"end":10}
                """);

        CliRun mixed = env.run("job", "create", "--from-file", two.toString());
        CliRun none = env.run("job", "create", "--from-file", unnamed.toString());
        CliRun nothing = env.run("job", "create");

        assertThat(mixed.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(mixed.err()).contains("line 2: names manifestation 'Y', line 1 names 'X'");
        assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("line 1 names no \"manifestation_id\"").contains("--manifestation");
        assertThat(nothing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(nothing.err()).contains("missing --manifestation");
        for (String m : List.of("X", "Y")) {
            assertThat(env.jobs().listJobs(new dev.segrel.core.domain.JobQuery(null, m, 10))).isEmpty();
        }
    }

    @Test
    void aFileOfAnotherManifestationThanTheOptionIsRefused() throws Exception {
        Path file = dir.resolve("of-x.jsonl");
        Files.writeString(file, """
                {"manifestation_id":"X","segment_id":"s1","start":0,"end":10}
                """);

        CliRun run = env.run("job", "create", "-m", "Z", "--from-file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("is of manifestation 'X', not 'Z'");
    }

    @Test
    void aBadLineOfTheFileIsNamedAndNothingIsCreated() throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, """
                {"segment_id":"s1","start":0,"end":10}
                {"segment_id":"s2","start":20,"end":10}
                """);

        CliRun run = env.run("job", "create", "-m", "BAD-M", "--from-file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).singleElement().asString()
                .contains("line 2: invalid span").contains("nothing was created");
        assertThat(env.jobs().listJobs(new dev.segrel.core.domain.JobQuery(null, "BAD-M", 10))).isEmpty();
    }

    @Test
    void aMissingFileAndABadBatchSizeAreUsageErrors() {
        CliRun missing = env.run("job", "create", "-m", "A", "--from-file", dir.resolve("nope.jsonl").toString());
        CliRun batch = env.run("job", "create", "-m", "A", "--batch-size", "100000");
        CliRun both = env.run("job", "create", "-m", "A", "--source", "pagination", "--from-file", "x");

        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("no such file");
        assertThat(batch.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("mutually exclusive");
    }

    @Test
    void anUnreachableDatabaseExits4WithoutThePassword() {
        CliRun run = env.runWith(java.util.Map.of("POSTGRES_URL", "postgresql://u:s3cret@127.0.0.1:1/db"), "",
                "job", "create", "-m", "A");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err().lines()).singleElement().asString().contains("PostgreSQL").doesNotContain("s3cret");
    }

    // ------------------------------------------------------------------------ create --environment

    /** A file of three segments of {@code manifestation}, so that no other test's job is its newest. */
    private Path threeSegmentsOf(String manifestation) throws Exception {
        Path file = dir.resolve(manifestation + ".jsonl");
        Files.writeString(file, """
                {"manifestation_id":"%1$s","segment_id":"e1","start":0,"end":10}
                {"manifestation_id":"%1$s","segment_id":"e2","start":10,"end":20}
                {"manifestation_id":"%1$s","segment_id":"e3","start":20,"end":30}
                """.formatted(manifestation));
        return file;
    }

    @Test
    void environmentSendsTheProducersBatchesOfFiveHundredNamingBothEnvironments() throws Exception {
        Path file = threeSegmentsOf("ENV-FIRST");

        CliRun run = env.run("job", "create", "--from-file", file.toString(), "--environment", "DEVELOPMENT:PRODUCTION",
                "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode out = json(run.out());
        assertThat(out.get("created").asBoolean()).as("the text had no job: a first one").isTrue();
        assertThat(out.get("reset").asBoolean()).isFalse();
        assertThat(out.get("run").asInt()).isEqualTo(0);
        assertThat(out.get("segments").asInt()).isEqualTo(3);
        assertThat(out.get("messages").asInt()).as("one batch of up to 500").isEqualTo(1);
        JsonNode body = json(OpsEnv.drain(env.urls.queue()).getFirst());
        assertThat(body.get("root_job_id").asText()).isEqualTo(out.get("job_id").asText());
        assertThat(body.get("text_id").asText()).isEqualTo("ENV-FIRST");
        assertThat(body.get("batch_number").asInt()).isEqualTo(1);
        assertThat(body.get("total_segments").asInt()).isEqualTo(3);
        assertThat(body.get("segments")).hasSize(3);
        assertThat(body.get("source_environment").asText()).isEqualTo("DEVELOPMENT");
        assertThat(body.get("destination_environment").asText()).isEqualTo("PRODUCTION");
    }

    /** Needs PostgreSQL's Jobs.resetJob. */
    @Test
    void environmentResetsTheTextsNewestJobToANewRunAndSendsEverySegmentAgain() throws Exception {
        Path file = threeSegmentsOf("ENV-RESET");
        String[] create = {"job", "create", "--from-file", file.toString(), "--environment", "DEVELOPMENT:PRODUCTION",
            "--batch-size", "2"};
        JobId job = created(env.run(create));
        OpsEnv.drain(env.urls.queue());
        env.complete(job, "e1", List.of());
        env.fail(job, "e2", "boom");

        CliRun js = env.run(java.util.stream.Stream.concat(java.util.Arrays.stream(create), java.util.stream.Stream.of(
                "--json")).toArray(String[]::new));

        assertThat(js.exitCode()).as(js.err()).isZero();
        JsonNode out = json(js.out());
        assertThat(out.get("job_id").asText()).isEqualTo(job.toString());
        assertThat(out.get("created").asBoolean()).isFalse();
        assertThat(out.get("reset").asBoolean()).isTrue();
        assertThat(out.get("run").asInt()).isEqualTo(1);
        assertThat(out.get("segments").asInt()).isEqualTo(3);
        assertThat(out.get("messages").asInt()).isEqualTo(2);
        JobStatus status = env.jobs().jobStatus(job).orElseThrow();
        assertThat(status.state()).isEqualTo(JobState.QUEUED);
        assertThat(status.totalSegments()).isEqualTo(3);
        assertThat(status.completedSegments()).isZero();
        assertThat(status.failedSegments()).isZero();
        assertThat(OpsEnv.drain(env.urls.queue())).hasSize(2)
                .allSatisfy(b -> assertThat(b).contains("\"root_job_id\":\"" + job + "\"")
                        .contains("\"destination_environment\":\"PRODUCTION\""));

        CliRun text = env.run(create);

        // nothing was counted in run 1: resetting it again keeps the run
        assertThat(created(text)).isEqualTo(job);
        assertThat(text.err()).contains("reset job " + job + " of ENV-RESET to run 1: 3 segments, 2 messages sent")
                .contains("(source_environment DEVELOPMENT, destination_environment PRODUCTION)");
        assertThat(env.jobs().listJobs(new JobQuery(null, "ENV-RESET", 10))).hasSize(1);
    }

    @Test
    void environmentWithNewCreatesAnotherJobUnderTheRunningJobRule() throws Exception {
        Path file = threeSegmentsOf("ENV-NEW");
        JobId first = created(env.run("job", "create", "--from-file", file.toString(), "--environment", "DEV:PROD"));

        CliRun refused = env.run("job", "create", "--from-file", file.toString(), "--environment", "DEV:PROD", "--new");
        CliRun forced = env.run("job", "create", "--from-file", file.toString(), "--environment", "DEV:PROD", "--new",
                "--force");

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err().lines()).singleElement().asString().contains("job " + first + " of manifestation ENV-NEW");
        JobId second = created(forced);
        assertThat(second).isNotEqualTo(first);
        assertThat(forced.err()).contains("created job " + second + ": 3 segments of ENV-NEW, 1 messages sent")
                .contains("source_environment DEV, destination_environment PROD");
        assertThat(OpsEnv.drain(env.urls.queue())).hasSize(2).allSatisfy(b -> assertThat(b)
                .contains("\"source_environment\":\"DEV\"").contains("\"destination_environment\":\"PROD\""));
    }

    @Test
    void aBadEnvironmentOrAnImpossibleCombinationExits2WithOneLineAndSendsNothing() {
        for (String bad : List.of("DEVELOPMENT", "DEV-1:PROD", ":PROD", "DEV:", "A:B:C", "1DEV:PROD")) {
            CliRun run = env.run("job", "create", "-m", "A", "--environment", bad);

            assertThat(run.exitCode()).as(bad).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err().lines()).as(bad).singleElement().asString().contains("--environment")
                    .contains("SOURCE:DESTINATION").contains("'" + bad + "'");
        }
        CliRun single = env.run("job", "create", "-m", "A", "--environment", "DEV:PROD", "--batch-size", "0");
        CliRun newWithId = env.run("job", "create", "-m", "A", "--environment", "DEV:PROD", "--new", "--job-id",
                UUID.randomUUID().toString());

        assertThat(single.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(single.err().lines()).singleElement().asString().contains("--environment sends batch messages");
        assertThat(newWithId.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(newWithId.err().lines()).singleElement().asString().contains("--new").contains("--job-id");
        assertThat(OpsEnv.drain(env.urls.queue())).isEmpty();
    }

    // ------------------------------------------------------------------------ status and list

    @Test
    void statusShowsCountsByStateAsTextOrJson() throws Exception {
        JobId job = created(env.run("job", "create", "-m", "A"));
        env.complete(job, "a1", List.of());

        CliRun text = env.run("job", "status", job.toString());
        CliRun js = env.run("job", "status", job.toString(), "--json");

        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("job " + job + " of A: IN_PROGRESS, 1/3 done (33%)")
                .contains("completed 1  failed 0  in progress 0  retrying 0  queued 2").contains("segments/s");
        JsonNode node = json(js.out());
        assertThat(node.get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(node.get("completed_segments").asInt()).isEqualTo(1);
        assertThat(node.get("queued").asInt()).isEqualTo(2);
        assertThat(node.get("stuck_completion_messages").asInt()).isZero();
        assertThat(text.out()).doesNotContain("stuck");
    }

    @Test
    void statusShowsACompletionMessageOfTheJobStuckInTheOutbox() throws Exception {
        JobId job = created(env.run("job", "create", "-m", "A", "--force"));
        env.schema.execute("INSERT INTO segrel_outbox (message_id, destination, body, attempts, last_error) VALUES ('job-completed:"
                + job + "', 'completed', '{}', 8, 'QueueUnavailableException: denied')");

        CliRun text = env.run("job", "status", job.toString());
        CliRun js = env.run("job", "status", job.toString(), "--json");

        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("1 completion message(s) stuck in the outbox: see 'segrel doctor'");
        assertThat(json(js.out()).get("stuck_completion_messages").asInt()).isEqualTo(1);
    }

    @Test
    void statusWarnsWhenTheJobsTotalDiffersFromItsTaskRows() throws Exception {
        JobId job = created(env.run("job", "create", "-m", "A", "--force"));
        CliRun matching = env.run("job", "status", job.toString(), "--json");
        env.complete(job, "a1", List.of());
        env.complete(job, "a2", List.of());
        // a legacy row lost: two rows, both ended, for a total of three
        env.schema.execute("DELETE FROM segment_task WHERE job_id = '" + job + "' AND status = 'QUEUED'");

        CliRun text = env.run("job", "status", job.toString());
        CliRun js = env.run("job", "status", job.toString(), "--json");

        assertThat(json(matching.out()).get("count_mismatch").isNull()).isTrue();
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("warning: total_segments is 3 but the job has 2 task row(s): it cannot finish as it is");
        JsonNode mismatch = json(js.out()).get("count_mismatch");
        assertThat(mismatch.get("total_segments").asInt()).isEqualTo(3);
        assertThat(mismatch.get("task_rows").asInt()).isEqualTo(2);
    }

    @Test
    void watchFollowsTheJobUntilItIsTerminal() throws Exception {
        JobId job = created(env.run("job", "create", "-m", "B", "--force"));
        Thread finisher = Thread.ofVirtual().start(() -> {
            env.complete(job, "b1", List.of());
            env.fail(job, "b2", "graph exploded");
        });

        CliRun run = env.run("job", "status", job.toString(), "--watch", "--interval", "20", "--json");
        finisher.join();

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(json(run.out()).get("status").asText()).isEqualTo("FAILED");
        assertThat(json(run.out()).get("failed_segments").asInt()).isEqualTo(1);
    }

    @Test
    void statusOfAnUnknownOrMalformedJobFails() {
        CliRun unknown = env.run("job", "status", UUID.randomUUID().toString());
        CliRun malformed = env.run("job", "status", "not-a-uuid");

        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err()).contains("not found");
        assertThat(malformed.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(malformed.err()).contains("job id must be a UUID");
    }

    @Test
    void listFiltersByStatusAndManifestation() throws Exception {
        Path file = dir.resolve("one.jsonl");
        Files.writeString(file, "{\"segment_id\":\"x\",\"start\":0,\"end\":1}\n");
        JobId job = created(env.run("job", "create", "-m", "LIST-M", "--from-file", file.toString()));

        CliRun text = env.run("job", "list", "--manifestation", "LIST-M");
        CliRun js = env.run("job", "list", "-m", "LIST-M", "--status", "queued", "--json");
        CliRun none = env.run("job", "list", "-m", "LIST-M", "--status", "FAILED");
        CliRun bad = env.run("job", "list", "--status", "DONE");

        assertThat(text.out().lines().toList()).hasSize(2);
        assertThat(text.out()).contains("JOB").contains(job.toString()).contains("QUEUED").contains("0/1");
        assertThat(json(js.out()).get(0).get("job_id").asText()).isEqualTo(job.toString());
        assertThat(none.out().strip()).isEqualTo("No job is FAILED of manifestation LIST-M.");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    // ------------------------------------------------------------------------ results

    @Test
    void resultsStreamTheAllRelationsShape() throws Exception {
        JobId job = created(env.run("job", "create", "-m", "A", "--force"));
        Mapping toB = new Mapping("B", List.of(Segment.of("b1", 0, 25)));
        env.complete(job, "a1", List.of(toB));
        env.complete(job, "a2", List.of());
        env.fail(job, "a3", "boom");

        CliRun run = env.run("job", "results", job.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("{\"manifestation_id\":\"A\",\"segments\":["
                + "{\"segment_id\":\"a1\",\"mappings\":[{\"manifestation_id\":\"B\",\"segments\":"
                + "[{\"segment_id\":\"b1\",\"span\":{\"start\":0,\"end\":25}}]}]},"
                + "{\"segment_id\":\"a2\",\"mappings\":[]},"
                + "{\"segment_id\":\"a3\",\"mappings\":[],\"status\":\"FAILED\",\"error\":\"boom\"}]}");
        assertThat(run.err()).contains("is FAILED: 2 of 3 segments have results");
    }

    @Test
    void resultsOfAManifestationGoToAFile() throws Exception {
        Path file = dir.resolve("one.jsonl");
        Files.writeString(file, "{\"segment_id\":\"x\",\"start\":0,\"end\":1}\n");
        JobId job = created(env.run("job", "create", "-m", "RES-M", "--from-file", file.toString()));
        env.complete(job, "x", List.of());
        Path out = dir.resolve("relations.json");

        CliRun run = env.run("job", "results", "--manifestation", "RES-M", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("wrote 1 segments of job " + job);
        assertThat(json(Files.readString(out)).get("segments").get(0).get("segment_id").asText()).isEqualTo("x");
        assertThat(env.reads().task(new dev.segrel.core.domain.TaskKey(job, "x")).orElseThrow().state())
                .isEqualTo(TaskState.COMPLETED);
    }

    @Test
    void skipAndLimitPrintOnePageInTheSegmentsRelationsShape() throws Exception {
        JobId job = created(env.run("job", "create", "-m", "A", "--force"));
        env.complete(job, "a1", List.of(new Mapping("B", List.of(Segment.of("b1", 0, 25)))));
        env.complete(job, "a2", List.of());
        env.fail(job, "a3", "boom");

        CliRun first = env.run("job", "results", job.toString(), "--limit", "2");
        CliRun rest = env.run("job", "results", job.toString(), "--skip", "2");
        CliRun past = env.run("job", "results", job.toString(), "--skip", "3", "--limit", "100");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out().strip()).isEqualTo("{\"text_id\":\"A\",\"segments\":["
                + "{\"segment_id\":\"a1\",\"mappings\":[{\"text_id\":\"B\",\"segments\":"
                + "[{\"segment_id\":\"b1\",\"span\":{\"start\":0,\"end\":25}}]}]},"
                + "{\"segment_id\":\"a2\",\"mappings\":[]}],"
                + "\"skip\":0,\"limit\":2,\"total\":3}");
        assertThat(rest.out().strip()).as("--limit defaults to 100").isEqualTo("{\"text_id\":\"A\",\"segments\":["
                + "{\"segment_id\":\"a3\",\"mappings\":[],\"status\":\"FAILED\",\"error\":\"boom\"}],"
                + "\"skip\":2,\"limit\":100,\"total\":3}");
        assertThat(json(past.out()).get("segments")).isEmpty();
        assertThat(json(past.out()).get("total").asInt()).isEqualTo(3);
        assertThat(first.err()).contains("is FAILED: 2 of 2 segments of the page have results");
    }

    @Test
    void aPageOfAManifestationGoesToAFile() throws Exception {
        Path file = dir.resolve("page.jsonl");
        Files.writeString(file, "{\"segment_id\":\"x\",\"start\":0,\"end\":1}\n{\"segment_id\":\"y\",\"start\":1,\"end\":2}\n");
        JobId job = created(env.run("job", "create", "-m", "PAGE-M", "--from-file", file.toString()));
        env.complete(job, "x", List.of());
        env.complete(job, "y", List.of());
        Path out = dir.resolve("page.json");

        CliRun run = env.run("job", "results", "--manifestation", "PAGE-M", "--skip", "1", "--limit", "1",
                "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("wrote 1 segments of job " + job);
        JsonNode page = json(Files.readString(out));
        assertThat(page.get("text_id").asText()).isEqualTo("PAGE-M");
        assertThat(page.get("segments").get(0).get("segment_id").asText()).isEqualTo("y");
        assertThat(page.get("total").asInt()).isEqualTo(2);
    }

    @Test
    void aSkipBelowZeroOrALimitOutsideOneToAHundredExits2() {
        String job = UUID.randomUUID().toString();
        CliRun negative = env.run("job", "results", job, "--skip", "-1");
        CliRun zero = env.run("job", "results", job, "--limit", "0");
        CliRun tooMany = env.run("job", "results", job, "--limit", "101");

        assertThat(negative.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(negative.err().lines()).singleElement().asString().contains("--skip must be >= 0, was -1");
        assertThat(zero.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooMany.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooMany.err().lines()).singleElement().asString().contains("--limit must be in 1..100, was 101");
    }

    @Test
    void resultsOfNothingExit3() {
        CliRun job = env.run("job", "results", UUID.randomUUID().toString());
        CliRun manifestation = env.run("job", "results", "-m", "never-jobbed");

        assertThat(job.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(manifestation.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(manifestation.err()).contains("no job of manifestation never-jobbed");
    }
}
