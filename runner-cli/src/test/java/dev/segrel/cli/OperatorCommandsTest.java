package dev.segrel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.out.TaskQueue.QueuedMessage;
import dev.segrel.sqs.SqsTaskQueue;
import dev.segrel.testkit.postgres.DeployedTables;
import dev.segrel.testkit.queue.TestingSqs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** queue, reprocess, migrate, doctor and completion, in process against the real servers. */
class OperatorCommandsTest {

    static OpsEnv env;
    static SqsTaskQueue queue;

    @BeforeAll
    static void start() {
        env = OpsEnv.create("operator-commands");
        queue = new SqsTaskQueue(TestingSqs.client(), env.urls.queue(), Optional.empty(), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    @AfterEach
    void emptyTheQueues() {
        OpsEnv.drain(env.urls.queue());
        OpsEnv.drain(env.urls.deadLetter());
        env.schema.execute("UPDATE root_job SET status = 'COMPLETED'");
    }

    static JsonNode json(String text) throws Exception {
        return TestJson.MAPPER.readTree(text);
    }

    JobId createJobOfA() {
        CliRun run = env.run("job", "create", "-m", "A", "--force");
        assertThat(run.exitCode()).as(run.err()).isZero();
        OpsEnv.drain(env.urls.queue());
        return JobId.parse(run.out().strip());
    }

    // ------------------------------------------------------------------------ queue

    @Test
    void statsCountsTheQueueAndItsDeadLetterQueue() throws Exception {
        queue.send(List.of("{\"a\":1}", "{\"a\":2}"));

        CliRun text = env.run("queue", "stats");
        CliRun js = env.run("queue", "stats", "--json");

        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("visible 2").contains("dead-letter queue: 0 messages");
        assertThat(json(js.out()).get("visible").asLong()).isEqualTo(2);
        assertThat(json(js.out()).get("dead_letter_visible").asLong()).isZero();
    }

    @Test
    void purgeAsksForConfirmationAndDeletesNothingWithoutIt() {
        queue.send(List.of("{\"a\":1}"));

        CliRun refused = env.runWith(Map.of(), "n\n", "queue", "purge");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("Purge about 1 messages").contains("purge not confirmed");
        assertThat(OpsEnv.drain(env.urls.queue())).hasSize(1);
    }

    @Test
    void purgeWithYesOrAConfirmationDeletesTheMessages() {
        queue.send(List.of("{\"a\":1}"));
        CliRun confirmed = env.runWith(Map.of(), "y\n", "queue", "purge");
        assertThat(confirmed.exitCode()).as(confirmed.err()).isZero();
        assertThat(confirmed.out()).contains("purged " + env.urls.queue());
        assertThat(OpsEnv.drain(env.urls.queue())).as("the confirmed purge emptied the queue").isEmpty();

        // --yes on a queue that holds messages: a purge that did nothing would leave them
        queue.send(List.of("{\"b\":1}", "{\"b\":2}"));
        CliRun yes = env.run("queue", "purge", "--yes", "--json");
        assertThat(yes.exitCode()).as(yes.err()).isZero();
        assertThat(yes.out()).contains("\"purged\":2");
        assertThat(OpsEnv.drain(env.urls.queue())).isEmpty();
    }

    @Test
    void dlqListShowsReasonsAndRedriveMovesThemBack() throws Exception {
        queue.send(List.of("{\"poison\":true}"));
        QueuedMessage m = queue.receive(1, Duration.ofSeconds(1)).get(0);
        queue.deadLetter(m, "lacks job_id");

        CliRun list = env.run("queue", "dlq", "list");
        CliRun listJson = env.run("queue", "dlq", "list", "--json");
        CliRun redrive = env.run("queue", "dlq", "redrive");
        CliRun empty = env.run("queue", "dlq", "list");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("lacks job_id").contains("{\"poison\":true}");
        assertThat(json(listJson.out()).get(0).get("reason").asText()).isEqualTo("lacks job_id");
        assertThat(redrive.out()).contains("moved 1 messages");
        assertThat(empty.out()).contains("is empty");
        assertThat(OpsEnv.drain(env.urls.queue())).containsExactly("{\"poison\":true}");
    }

    @Test
    void queueCommandsWithoutAQueueUrlAreUsageErrors() {
        CliRun run = env.runWith(Map.of("SQS_QUEUE_URL", ""), "", "queue", "stats");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).singleElement().asString().contains("SQS_QUEUE_URL is not set");
    }

    @Test
    void anUnknownQueueIsUnavailable() {
        CliRun run = env.runWith(Map.of("SQS_QUEUE_URL", TestingSqs.endpoint() + "/000000000000/no-such-queue",
                "SQS_DLQ_URL", ""), "", "queue", "stats");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err().lines()).singleElement().asString().contains("no-such-queue");
    }

    @Test
    void dlqCommandsOnAQueueWithoutDeadLetterQueueAreUsageErrors() {
        String plain = TestingSqs.createQueue("no-dlq", false);

        CliRun run = env.runWith(Map.of("SQS_QUEUE_URL", plain, "SQS_DLQ_URL", ""), "", "queue", "dlq", "redrive");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).singleElement().asString().contains("has no dead-letter queue");
    }

    // ------------------------------------------------------------------------ reprocess

    @Test
    void dryRunOfASegmentShowsTheDiffAndWritesNothing() throws Exception {
        JobId job = createJobOfA();
        // stored: b2 only; a fresh computation of a1 [0,10) gives b1 only
        env.complete(job, "a1", List.of(new Mapping("B", List.of(Segment.of("b2", 25, 50)))));

        CliRun text = env.run("reprocess", "segment", "--job", job.toString(), "--segment", "a1", "--dry-run");
        CliRun js = env.run("reprocess", "segment", "--job", job.toString(), "--segment", "a1", "--dry-run", "--json");

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("would change").contains("B: +[b1] -[b2]");
        JsonNode node = json(js.out());
        assertThat(node.get("changed").asBoolean()).isTrue();
        assertThat(node.get("changes").get(0).get("added").get(0).asText()).isEqualTo("b1");
        assertThat(env.reads().task(new TaskKey(job, "a1")).orElseThrow().mappings().get(0).segments().get(0).id())
                .isEqualTo("b2");
        assertThat(OpsEnv.drain(env.urls.queue())).isEmpty();
    }

    @Test
    void reprocessNowComputesAndStoresTheSegmentInProcess() {
        JobId job = createJobOfA();
        env.complete(job, "a1", List.of());

        CliRun run = env.run("reprocess", "segment", "--job", job.toString(), "--segment", "a1", "--now");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("computed " + job + "/a1: 1 mappings stored");
        var task = env.reads().task(new TaskKey(job, "a1")).orElseThrow();
        assertThat(task.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(task.mappings()).containsExactly(new Mapping("B", List.of(Segment.of("b1", 0, 25))));
    }

    @Test
    void reprocessWithoutNowResetsTheTaskAndEnqueuesIt() {
        JobId job = createJobOfA();
        env.complete(job, "a2", List.of());

        CliRun run = env.run("reprocess", "segment", "--job", job.toString(), "--segment", "a2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("re-enqueued " + job + "/a2 (was COMPLETED)");
        assertThat(env.reads().task(new TaskKey(job, "a2")).orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        assertThat(OpsEnv.drain(env.urls.queue())).singleElement().asString().contains("\"segment_id\":\"a2\"");
    }

    @Test
    void reprocessOfAnUnknownSegmentOrJobExits3() {
        JobId job = createJobOfA();

        CliRun segment = env.run("reprocess", "segment", "--job", job.toString(), "--segment", "zz");
        CliRun unknownJob = env.run("reprocess", "job", UUID.randomUUID().toString());
        CliRun both = env.run("reprocess", "segment", "--job", job.toString(), "--segment", "a1", "--now", "--dry-run");

        assertThat(segment.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(segment.err()).contains("no segment 'zz'");
        assertThat(unknownJob.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void reprocessJobFailedOnlyReEnqueuesTheFailedTasks() throws Exception {
        JobId job = createJobOfA();
        env.complete(job, "a1", List.of());
        env.fail(job, "a2", "graph was down");

        CliRun dry = env.run("reprocess", "job", job.toString(), "--failed-only", "--dry-run", "--json");
        CliRun run = env.run("reprocess", "job", job.toString(), "--failed-only");
        CliRun nothing = env.run("reprocess", "job", job.toString(), "--failed-only");

        assertThat(json(dry.out()).get("checked").asInt()).isEqualTo(1);
        assertThat(json(dry.out()).get("segments").get(0).get("segment_id").asText()).isEqualTo("a2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("re-enqueued 1 task(s)");
        assertThat(OpsEnv.drain(env.urls.queue())).singleElement().asString().contains("\"a2\"");
        assertThat(nothing.out()).contains("nothing to reprocess");
    }

    @Test
    void dryRunOfAWholeJobCountsTheChangedSegments() {
        JobId job = createJobOfA();

        CliRun run = env.run("reprocess", "job", job.toString(), "--dry-run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("3 segment(s) checked, 3 would change").contains("a1 (QUEUED)");
    }

    // ------------------------------------------------------------------------ migrate, doctor, completion

    @Test
    void migrateCreatesTheSchemaAndIsIdempotent() throws Exception {
        try (OpsEnv fresh = OpsEnv.create("migrate", false)) {
            CliRun first = CliRun.run(fresh.settings, "migrate");
            CliRun second = CliRun.run(fresh.settings, "migrate", "--json");

            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(first.out()).startsWith("applied ");
            assertThat(json(second.out()).get("applied").asInt()).isZero();
        }
    }

    @Test
    void migrateAdoptsADeployedLayoutAndNamesIt() throws Exception {
        try (OpsEnv fresh = OpsEnv.create("migrate-current", false)) {
            DeployedTables deployed = DeployedTables.create(fresh.schema, DeployedTables.Layout.CURRENT);
            deployed.submit("A", List.of("a1", "a2"));

            CliRun doctor = CliRun.run(fresh.settings, "doctor");
            CliRun first = CliRun.run(fresh.settings, "migrate", "--json");
            CliRun second = CliRun.run(fresh.settings, "migrate");

            assertThat(doctor.out()).containsPattern("OK +Table layout +current \\(root_jobs/segment_mapping\\), not adopted yet");
            assertThat(first.exitCode()).as(first.err()).isZero();
            JsonNode report = json(first.out());
            assertThat(report.get("layout").asText()).isEqualTo("current");
            assertThat(report.get("adopted_legacy_schema").asBoolean()).isTrue();
            assertThat(second.out()).contains("up to date").contains("layout current (root_jobs/segment_mapping)");
        }
    }

    @Test
    void migrateOfADatabaseWithTwoLayoutsExits2WithOneLineUntilTheLayoutIsSet() throws Exception {
        try (OpsEnv fresh = OpsEnv.create("migrate-two", false)) {
            DeployedTables.create(fresh.schema, DeployedTables.Layout.README);
            fresh.schema.execute("CREATE TABLE root_jobs (job_id uuid PRIMARY KEY, text_id text NOT NULL)",
                    "CREATE TABLE segment_mapping (task_id uuid PRIMARY KEY, root_job_id uuid, segment_id text)");

            CliRun refused = CliRun.run(fresh.settings, "migrate");
            CliRun doctor = CliRun.run(fresh.settings, "doctor");
            CliRun misspelt = fresh.runWith(Map.of("SEGREL_TABLE_LAYOUT", "v2"), "", "migrate");
            CliRun chosen = fresh.runWith(Map.of("SEGREL_TABLE_LAYOUT", "readme"), "", "migrate", "--json");

            assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.err().lines()).singleElement().asString()
                    .isEqualTo("segrel: found root_job/segment_task (readme) and root_jobs/segment_mapping (current) in schema "
                            + fresh.schema.name() + ": set SEGREL_TABLE_LAYOUT to the layout to adopt (readme or current)");
            assertThat(doctor.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(doctor.out()).containsPattern("FAIL +Table layout +found root_job/segment_task \\(readme\\)")
                    .contains("fix: set SEGREL_TABLE_LAYOUT");
            assertThat(misspelt.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(misspelt.err().lines()).singleElement().asString()
                    .contains("SEGREL_TABLE_LAYOUT must be readme, v1 or current, was 'v2'");
            assertThat(chosen.exitCode()).as(chosen.err()).isZero();
            assertThat(json(chosen.out()).get("layout").asText()).isEqualTo("readme");
        }
    }

    @Test
    void migrateOfAV1DatabaseWithDuplicateTasksExits2WithTheQueryThatListsThem() {
        try (OpsEnv fresh = OpsEnv.create("migrate-duplicates", false)) {
            DeployedTables v1 = DeployedTables.create(fresh.schema, DeployedTables.Layout.V1);
            UUID job = v1.submit("A", List.of("a1"));
            fresh.schema.execute("INSERT INTO segment_tasks (task_id, job_id, segment_id, status) VALUES (gen_random_uuid(), '"
                    + job + "', 'a1', 'QUEUED')");

            CliRun run = CliRun.run(fresh.settings, "migrate");

            assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err().lines()).singleElement().asString()
                    .contains("segment_tasks has 1 (job_id, segment_id) pair(s) with more than one row")
                    .contains("SELECT job_id, segment_id, count(*) FROM segment_tasks GROUP BY job_id, segment_id HAVING count(*) > 1");
        }
    }

    @Test
    void migrateKeepNewestKeepsTheNewestRowOfEachDuplicateAndSaysHowManyItDeleted() throws Exception {
        try (OpsEnv fresh = OpsEnv.create("migrate-keep-newest", false)) {
            DeployedTables v1 = DeployedTables.create(fresh.schema, DeployedTables.Layout.V1);
            UUID job = v1.submit("A", List.of("a1"));
            fresh.schema.execute("INSERT INTO segment_tasks (task_id, job_id, segment_id, status, updated_at) VALUES"
                    + " (gen_random_uuid(), '" + job + "', 'a1', 'COMPLETED', TIMESTAMP '2999-01-01 00:00')");

            CliRun text = CliRun.run(fresh.settings, "migrate", "--keep-newest");
            CliRun again = CliRun.run(fresh.settings, "migrate", "--keep-newest", "--json");

            assertThat(text.exitCode()).as(text.err()).isZero();
            assertThat(text.out()).contains("deleted 1 duplicate task row(s), keeping the newest of each")
                    .contains("finished 1 job(s) whose tasks had all ended");
            assertThat(json(again.out()).get("duplicates_deleted").asInt()).isZero();
            assertThat(fresh.schema.queryString("SELECT string_agg(status, ',') FROM segment_tasks")).isEqualTo("COMPLETED");
            assertThat(fresh.schema.queryString("SELECT status FROM root_jobs")).isEqualTo("COMPLETED");
        }
    }

    @Test
    void doctorWarnsOfJobsWhoseTotalDiffersFromTheirTaskRowsWithoutFailing() throws Exception {
        try (OpsEnv fresh = OpsEnv.create("doctor-counts", false)) {
            DeployedTables v1 = DeployedTables.create(fresh.schema, DeployedTables.Layout.V1);
            UUID job = v1.submit("A", List.of("a1", "a2"));
            v1.workerStores(job, "A", "a1", "[]");
            fresh.schema.execute("DELETE FROM segment_tasks WHERE segment_id = 'a2'");
            assertThat(CliRun.run(fresh.settings, "migrate").exitCode()).isZero();

            CliRun text = CliRun.run(fresh.settings, "doctor");
            CliRun js = CliRun.run(fresh.settings, "doctor", "--json");

            assertThat(text.out()).containsPattern("WARN +Job counts +1 job\\(s\\) whose total_segments differs from their"
                            + " task rows, e.g. job " + job + ": total_segments 2, 1 task row\\(s\\)")
                    .contains("fix: 'segrel job status JOB' shows each");
            JsonNode counts = null;
            for (JsonNode check : json(js.out()).get("checks")) {
                if (check.get("name").asText().equals("Job counts")) {
                    counts = check;
                }
            }
            assertThat(counts).isNotNull();
            assertThat(counts.get("ok").asBoolean()).isTrue();
            assertThat(counts.get("fix").asText()).contains("re-submit its text");
        }
    }

    @Test
    void commandsOnADatabaseWithoutTheSchemaSayToMigrate() {
        try (OpsEnv fresh = OpsEnv.create("not-migrated", false)) {
            CliRun run = CliRun.run(fresh.settings, "job", "list");

            assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(run.err().lines()).singleElement().asString().contains("run 'segrel migrate' first");
        }
    }

    @Test
    void migrateOfAnUnreachableDatabaseExits4() {
        CliRun run = env.runWith(Map.of("POSTGRES_URL", "postgresql://segrel:pw@127.0.0.1:1/segrel"), "", "migrate");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err().lines()).singleElement().asString().contains("cannot connect to PostgreSQL");
    }

    @Test
    void doctorSaysEverythingIsOk() throws Exception {
        CliRun text = env.run("doctor");
        CliRun js = env.run("doctor", "--json");

        assertThat(text.exitCode()).as(text.out()).isZero();
        assertThat(text.out()).contains("OK    Neo4j").contains("OK    PostgreSQL schema").contains("OK    SQS dead-letter queue")
                .containsPattern("OK +Table layout +readme \\(root_job/segment_task\\)\\R")
                .containsPattern("OK +Job counts +every job's total_segments matches its task rows")
                .contains("OK    Outbox").contains("All 9 checks passed.");
        assertThat(json(js.out()).get("ok").asBoolean()).isTrue();
    }

    @Test
    void doctorShowsACompletionMessageStuckInTheOutboxWithTheQueryToSeeWhy() throws Exception {
        try (OpsEnv fresh = OpsEnv.create("doctor-stuck", true)) {
            fresh.schema.execute("INSERT INTO segrel_outbox (message_id, destination, body, attempts, last_error)"
                    + " VALUES ('job-completed:stuck', 'completed', '{}', 8, 'QueueUnavailableException: denied')");

            CliRun text = CliRun.run(fresh.settings, "doctor");
            CliRun js = CliRun.run(fresh.settings, "doctor", "--json");

            assertThat(text.out()).containsPattern("FAIL +Outbox +1 completion message\\(s\\) failed 8 deliveries")
                    .contains("SELECT message_id, attempts, last_error FROM segrel_outbox");
            assertThat(text.exitCode()).isNotZero();
            assertThat(json(js.out()).get("ok").asBoolean()).isFalse();
        }
    }

    @Test
    void doctorSaysWhatIsWrongAndHowToFixItWithoutPasswords() throws Exception {
        try (OpsEnv fresh = OpsEnv.create("doctor-bad", false)) {
            CliRun run = CliRun.run(fresh.settings.with(Map.of(
                            "NEO4J_URI", "bolt://127.0.0.1:1", "NEO4J_PASSWORD", "hunter2",
                            "SQS_COMPLETED_QUEUE_URL", "",
                            "DRAGONFLY_URL", "redis://:pa55@127.0.0.1:1")),
                    "doctor", "--json");

            assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(run.out()).doesNotContain("hunter2").doesNotContain("pa55");
            JsonNode checks = json(run.out()).get("checks");
            Map<String, Boolean> ok = new java.util.LinkedHashMap<>();
            checks.forEach(c -> ok.put(c.get("name").asText(), c.get("ok").asBoolean()));
            assertThat(ok).containsEntry("Neo4j", false).containsEntry("PostgreSQL", true)
                    .containsEntry("Table layout", true).containsEntry("PostgreSQL schema", false).containsEntry("SQS queue", true)
                    .containsEntry("SQS completed queue", false).containsEntry("Dragonfly", false);
            checks.forEach(c -> {
                if (!c.get("ok").asBoolean()) {
                    assertThat(c.get("fix").asText()).isNotBlank();
                }
            });
            assertThat(run.out()).contains("segrel migrate");
        }
    }

    @Test
    void doctorChecksTheGraphOfEveryConfiguredEnvironmentAfterTheDefaultOne() throws Exception {
        dev.segrel.testkit.graph.TestingNeo4j neo4j = dev.segrel.testkit.graph.TestingNeo4j.get();
        Map<String, String> environments = Map.of(
                "PRODUCTION_NEO4J_URI", neo4j.boltUri(), "PRODUCTION_NEO4J_PASSWORD", neo4j.password(),
                "STAGING_NEO4J_URI", "bolt://127.0.0.1:" + dev.segrel.devstack.LoopbackPorts.free(),
                "STAGING_NEO4J_PASSWORD", "staging-secret");

        CliRun text = env.runWith(environments, "", "doctor");
        CliRun js = env.runWith(environments, "", "doctor", "--json");

        assertThat(text.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(text.out()).contains("OK    Neo4j PRODUCTION").contains("FAIL  Neo4j STAGING")
                .containsPattern("\\n1 of \\d+ checks failed\\.").doesNotContain("staging-secret");
        List<String> names = new java.util.ArrayList<>();
        json(js.out()).get("checks").forEach(c -> names.add(c.get("name").asText()));
        assertThat(names).startsWith("Neo4j", "Neo4j PRODUCTION", "Neo4j STAGING", "PostgreSQL");
        json(js.out()).get("checks").forEach(c -> {
            if (c.get("name").asText().equals("Neo4j STAGING")) {
                assertThat(c.get("fix").asText()).contains("STAGING_NEO4J_URI");
            }
        });
    }

    @Test
    void doctorRefusesAnEnvironmentKeyThatCannotNameOne() throws Exception {
        CliRun run = env.runWith(Map.of("Production_NEO4J_URI", "bolt://127.0.0.1:7687"), "", "doctor", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        Map<String, Boolean> ok = new java.util.LinkedHashMap<>();
        json(run.out()).get("checks").forEach(c -> ok.put(c.get("name").asText(), c.get("ok").asBoolean()));
        assertThat(ok).containsEntry("Neo4j", true).containsEntry("Neo4j environments", false);
        assertThat(run.out()).contains("PRODUCTION_NEO4J_URI");
    }

    @Test
    void completionPrintsABashScriptThatKnowsTheCommands() {
        CliRun run = env.run("completion");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete -F").contains("job").contains("reprocess").contains("doctor");
    }

    @Test
    void everyCommandHasHelpWithExamplesAndTheExitCodes() {
        for (String[] args : List.of(new String[] {"job", "create", "--help"}, new String[] {"job", "status", "--help"},
                new String[] {"job", "list", "--help"}, new String[] {"job", "results", "--help"},
                new String[] {"reprocess", "segment", "--help"}, new String[] {"reprocess", "job", "--help"},
                new String[] {"queue", "stats", "--help"}, new String[] {"queue", "purge", "--help"},
                new String[] {"queue", "dlq", "list", "--help"}, new String[] {"queue", "dlq", "redrive", "--help"},
                new String[] {"migrate", "--help"}, new String[] {"doctor", "--help"},
                new String[] {"completion", "--help"})) {
            CliRun run = env.run(args);

            assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(run.out()).as(String.join(" ", args)).contains("Examples:").contains("Exit codes:");
        }
    }
}
