package dev.segrel.core.usecase;

import static dev.segrel.core.usecase.UseCaseFixtures.drain;
import static dev.segrel.core.usecase.UseCaseFixtures.drainBodies;
import static dev.segrel.core.usecase.UseCaseFixtures.requestsOf;
import static dev.segrel.core.usecase.UseCaseFixtures.segmentIds;
import static dev.segrel.testkit.graph.GraphFixture.seg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobQuery;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.json.JsonReader;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.CreateJob;
import dev.segrel.core.port.in.CreateJob.Command;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.queue.InMemoryTaskQueue;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryTaskStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CreateJobTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
    private final InMemoryTaskQueue queue = InMemoryTaskQueue.create(clock, Duration.ofSeconds(60));
    /** M1: five segments S0..S4 of 10 characters, and two pages; BARE: no annotation at all. */
    private final AlignmentGraph graph = new GraphFixture()
            .segmentation("M1", "M1-seg", seg("S0", 0, 10), seg("S1", 10, 20), seg("S2", 20, 30), seg("S3", 30, 40),
                    seg("S4", 40, 50))
            .pagination("M1", "M1-pages", seg("P0", 0, 30), seg("P1", 30, 50))
            .manifestation("BARE")
            .toInMemoryGraph();
    private final AtomicInteger graphOpened = new AtomicInteger();
    private final CreateJob createJob = SegmentRelations.createJob(() -> {
        graphOpened.incrementAndGet();
        return graph;
    }, store, store, queue, clock);
    private final List<Integer> progress = new ArrayList<>();

    private static Command fromGraph(String manifestation, SegmentSource source, int batchSize) {
        return new Command(manifestation, source, null, batchSize, null, false);
    }

    private CreateJob.Result create(Command command) {
        return createJob.create(command, progress::add);
    }

    private JobId created(CreateJob.Result result) {
        assertThat(result).isInstanceOf(CreateJob.Created.class);
        return ((CreateJob.Created) result).jobId();
    }

    @Test
    void theGraphsSegmentsBecomeAJobWithItsTasksAndOneSingleMessagePerTask() {
        CreateJob.Result result = create(fromGraph("M1", SegmentSource.SEGMENTATION, 0));

        JobId id = created(result);
        assertThat(result).isEqualTo(new CreateJob.Created(id, "M1", 5, 5));
        JobStatus status = store.jobStatus(id).orElseThrow();
        assertThat(status.state()).isEqualTo(JobState.QUEUED);
        assertThat(status.totalSegments()).isEqualTo(5);
        assertThat(status.queued()).isEqualTo(5);
        assertThat(status.createdAt()).isEqualTo(clock.instant());
        List<String> bodies = drainBodies(queue);
        assertThat(bodies).hasSize(5).allSatisfy(b -> assertThat(b).startsWith("{\"job_id\":"));
        assertThat(requestsOf(bodies)).containsExactly(
                new TaskRequest(id, "M1", "S0", new Span(0, 10)), new TaskRequest(id, "M1", "S1", new Span(10, 20)),
                new TaskRequest(id, "M1", "S2", new Span(20, 30)), new TaskRequest(id, "M1", "S3", new Span(30, 40)),
                new TaskRequest(id, "M1", "S4", new Span(40, 50)));
    }

    @Test
    void aBatchSizeSendsBatchMessagesOfThatManySegmentsNumberedAndWithTheJobsTotal() {
        CreateJob.Result result = create(fromGraph("M1", SegmentSource.SEGMENTATION, 2));

        assertThat(result).isInstanceOfSatisfying(CreateJob.Created.class, c -> assertThat(c.messages()).isEqualTo(3));
        List<String> batches = drainBodies(queue);
        assertThat(batches).hasSize(3);
        assertThat(batches).extracting(b -> field(b, "batch_number")).containsExactly(1L, 2L, 3L);
        assertThat(batches).extracting(b -> field(b, "total_segments")).containsExactly(5L, 5L, 5L);
        assertThat(batches).extracting(b -> ((List<?>) field(b, "segments")).size()).containsExactly(2, 2, 1);
        assertThat(segmentIds(requestsOf(batches))).containsExactly("S0", "S1", "S2", "S3", "S4");
    }

    @Test
    void aBatchWhoseMessageWouldBeOverTheQueuesSizeLimitIsSplitIntoSmallerBatchMessagesNumberedOn() {
        Segment[] segments = new Segment[1_000];
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < segments.length; i++) {
            // 200 characters, Tibetan: three bytes each in UTF-8
            String id = "\u0f40".repeat(194) + String.format("%06d", i);
            ids.add(id);
            segments[i] = seg(id, i * 10, i * 10 + 10);
        }
        AlignmentGraph longIds = new GraphFixture().segmentation("M-long", "M-long-seg", segments).toInMemoryGraph();
        CreateJob create = SegmentRelations.createJob(() -> longIds, store, store, queue, clock);

        CreateJob.Result result = create.create(fromGraph("M-long", SegmentSource.SEGMENTATION, 500), progress::add);

        List<String> batches = drainBodies(queue);
        assertThat(batches).hasSizeGreaterThan(2).allSatisfy(b -> assertThat(b.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(TaskQueue.MAX_MESSAGE_BYTES - 1_024));
        assertThat(batches).extracting(b -> ((Number) field(b, "batch_number")).intValue())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, batches.size()).boxed().toList());
        assertThat(batches).extracting(b -> ((List<?>) field(b, "segments")).size()).allSatisfy(n -> assertThat(n)
                .isLessThanOrEqualTo(500));
        assertThat(segmentIds(requestsOf(batches))).containsExactlyElementsOf(ids);
        assertThat(result).isInstanceOfSatisfying(CreateJob.Created.class,
                c -> assertThat(c.messages()).isEqualTo(batches.size()));
    }

    private static Object field(String body, String name) {
        return ((Map<?, ?>) JsonReader.read(body)).get(name);
    }

    @Test
    void thePaginationSourceMakesAJobOfTheManifestationsPages() {
        JobId id = created(create(fromGraph("M1", SegmentSource.PAGINATION, 0)));

        assertThat(segmentIds(drain(queue))).containsExactly("P0", "P1");
        assertThat(store.jobStatus(id).orElseThrow().totalSegments()).isEqualTo(2);
    }

    @Test
    void anUnknownManifestationCreatesNothing() {
        CreateJob.Result result = create(fromGraph("NOPE", SegmentSource.SEGMENTATION, 0));

        assertThat(result).isEqualTo(new CreateJob.UnknownManifestation("NOPE"));
        assertThat(store.listJobs(JobQuery.all(10))).isEmpty();
        assertThat(queue.stats().visible()).isZero();
    }

    @Test
    void aManifestationWithoutSegmentsOfTheSourceCreatesNothing() {
        CreateJob.Result result = create(fromGraph("BARE", SegmentSource.SEGMENTATION, 0));

        assertThat(result).isEqualTo(new CreateJob.NoSegments("BARE", SegmentSource.SEGMENTATION));
        assertThat(store.listJobs(JobQuery.all(10))).isEmpty();
        assertThat(queue.stats().visible()).isZero();
    }

    @Test
    void anotherRunningJobOfTheManifestationRefusesANewOneUnlessForced() {
        JobId first = created(create(fromGraph("M1", SegmentSource.SEGMENTATION, 0)));

        CreateJob.Result refused = create(fromGraph("M1", SegmentSource.SEGMENTATION, 0));
        CreateJob.Result forced = create(new Command("M1", SegmentSource.SEGMENTATION, null, 0, null, true));

        assertThat(refused).isInstanceOfSatisfying(CreateJob.AnotherJobRunning.class,
                r -> assertThat(r.running().jobId()).isEqualTo(first));
        JobId second = created(forced);
        assertThat(store.listJobs(JobQuery.all(10))).extracting(JobStatus::jobId).containsExactlyInAnyOrder(first, second);
        assertThat(queue.stats().visible()).as("five messages per created job, none for the refused one").isEqualTo(10);
    }

    @Test
    void anExistingJobIdResendsTheMessagesOfItsQueuedTasksOnly() {
        JobId id = JobId.random();
        create(new Command("M1", SegmentSource.SEGMENTATION, null, 0, id, false));
        drain(queue);
        UseCaseFixtures.complete(store, new TaskKey(id, "S0"), List.of(), clock.instant());
        UseCaseFixtures.claim(store, new TaskKey(id, "S1"), "w1", clock.instant(), Duration.ofSeconds(60));

        CreateJob.Result again = create(new Command("M1", SegmentSource.SEGMENTATION, null, 0, id, false));

        assertThat(again).isEqualTo(new CreateJob.Resent(id, "M1", JobState.IN_PROGRESS, 5, 3, 3));
        assertThat(segmentIds(drain(queue))).containsExactly("S2", "S3", "S4");
        assertThat(store.listJobs(JobQuery.all(10))).hasSize(1);
    }

    @Test
    void aCreateThatLosesTheRaceForItsJobIdResumesTheWinnersJob() {
        JobId id = JobId.random();
        Command command = new Command("M1", SegmentSource.SEGMENTATION, null, 0, id, false);
        create(command);
        drain(queue);
        Jobs lookedBeforeTheWinnerStoredIt = new Jobs() {
            private boolean looked;

            @Override
            public CreateJobResult createJob(NewJob job, Instant now) {
                return store.createJob(job, now);
            }

            @Override
            public Optional<JobStatus> jobStatus(JobId jobId) {
                boolean first = !looked;
                looked = true;
                return first ? Optional.empty() : store.jobStatus(jobId);
            }

            @Override
            public List<JobStatus> listJobs(JobQuery query) {
                return store.listJobs(query);
            }

            @Override
            public OptionalInt resetJob(JobId jobId, List<NewTask> tasks, Instant now) {
                return store.resetJob(jobId, tasks, now);
            }
        };
        CreateJob loser = SegmentRelations.createJob(() -> graph, lookedBeforeTheWinnerStoredIt, store, queue, clock);

        CreateJob.Result result = loser.create(command, sent -> { });

        assertThat(result).isEqualTo(new CreateJob.Resent(id, "M1", JobState.QUEUED, 5, 5, 5));
        assertThat(store.listJobs(JobQuery.all(10))).hasSize(1);
        assertThat(segmentIds(drain(queue))).containsExactly("S0", "S1", "S2", "S3", "S4");
    }

    @Test
    void aJobIdOfAnotherManifestationChangesNothing() {
        JobId id = JobId.random();
        create(new Command("M1", SegmentSource.SEGMENTATION, null, 0, id, false));
        drain(queue);

        CreateJob.Result result = create(new Command("M2", SegmentSource.SEGMENTATION, null, 0, id, false));

        assertThat(result).isEqualTo(new CreateJob.OfAnotherManifestation(id, "M1"));
        assertThat(queue.stats().visible()).isZero();
        assertThat(store.jobStatus(id).orElseThrow().queued()).isEqualTo(5);
    }

    @Test
    void givenSegmentsAreUsedInsteadOfTheGraphWhichIsNeverOpened() {
        List<NewTask> given = List.of(new NewTask("X1", new Span(0, 7)), new NewTask("X2", null));

        CreateJob.Result result = create(new Command("M1", SegmentSource.SEGMENTATION, given, 0, null, false));

        JobId id = created(result);
        assertThat(result).isEqualTo(new CreateJob.Created(id, "M1", 2, 2));
        assertThat(graphOpened).hasValue(0);
        assertThat(drain(queue)).containsExactly(
                new TaskRequest(id, "M1", "X1", new Span(0, 7)), new TaskRequest(id, "M1", "X2", null));
        assertThat(store.task(new TaskKey(id, "X2")).orElseThrow().span()).isNull();
    }

    @Test
    void anEmptyListOfGivenSegmentsIsNoSegments() {
        CreateJob.Result result = create(new Command("M1", SegmentSource.SEGMENTATION, List.of(), 0, null, false));

        assertThat(result).isEqualTo(new CreateJob.NoSegments("M1", SegmentSource.SEGMENTATION));
        assertThat(store.listJobs(JobQuery.all(10))).isEmpty();
    }

    @Test
    void theProgressCallbackSeesTheCountSentAfterEachChunkOfFiveHundred() {
        List<NewTask> given = IntStream.range(0, 1_200).mapToObj(i -> new NewTask("X" + i, new Span(i, i + 1))).toList();

        create(new Command("M1", SegmentSource.SEGMENTATION, given, 0, null, false));

        assertThat(progress).containsExactly(500, 1_000, 1_200);
        assertThat(queue.stats().visible()).isEqualTo(1_200);
    }

    // ------------------------------------------------------------------------ reset, as the deployed producer does

    private static Command resetFromGraph(String manifestation, JobId jobId) {
        return new Command(manifestation, SegmentSource.SEGMENTATION, null, CreateJob.PRODUCER_BATCH_SIZE, jobId, false,
                "DEVELOPMENT", "PRODUCTION", true);
    }

    @Test
    void resettingKeepsTheNewestJobsIdStartsItsNextRunAndSendsEverySegmentAgainInBatchesNamingTheEnvironments() {
        JobId id = created(create(fromGraph("M1", SegmentSource.SEGMENTATION, 2)));
        UseCaseFixtures.complete(store, new TaskKey(id, "S0"), List.of(), clock.instant());
        UseCaseFixtures.failForGood(store, new TaskKey(id, "S1"), clock.instant());
        clock.advance(Duration.ofMinutes(5));
        drain(queue);

        CreateJob.Result result = create(new Command("M1", SegmentSource.SEGMENTATION, null, 2, null, false,
                "DEVELOPMENT", "PRODUCTION", true));

        assertThat(result).isEqualTo(new CreateJob.Reset(id, "M1", 1, 5, 3));
        JobStatus status = store.jobStatus(id).orElseThrow();
        assertThat(status.state()).isEqualTo(JobState.QUEUED);
        assertThat(status.totalSegments()).isEqualTo(5);
        assertThat(status.completedSegments()).isZero();
        assertThat(status.failedSegments()).isZero();
        // the tasks done in run 0 keep their rows until run 1 computes them again
        assertThat(status.queued()).isEqualTo(3);
        assertThat(status.updatedAt()).isEqualTo(clock.instant());
        assertThat(store.listJobs(JobQuery.all(10))).as("no new job").hasSize(1);
        List<String> batches = drainBodies(queue);
        assertThat(batches).extracting(b -> field(b, "root_job_id")).containsOnly(id.toString());
        assertThat(batches).extracting(b -> field(b, "batch_number")).containsExactly(1L, 2L, 3L);
        assertThat(batches).extracting(b -> field(b, "source_environment")).containsOnly("DEVELOPMENT");
        assertThat(batches).extracting(b -> field(b, "destination_environment")).containsOnly("PRODUCTION");
        assertThat(segmentIds(requestsOf(batches))).containsExactly("S0", "S1", "S2", "S3", "S4");
    }

    @Test
    void eachResetOfAJobThatCountedSomethingStartsAnotherRun() {
        JobId id = created(create(fromGraph("M1", SegmentSource.SEGMENTATION, 0)));

        CreateJob.Result untouched = create(resetFromGraph("M1", null));
        UseCaseFixtures.complete(store, new TaskKey(id, "S0"), List.of(), clock.instant());
        CreateJob.Result second = create(resetFromGraph("M1", null));
        UseCaseFixtures.complete(store, new TaskKey(id, "S1"), List.of(), clock.instant());
        CreateJob.Result third = create(resetFromGraph("M1", null));

        assertThat(untouched).as("nothing had started: the same run").isEqualTo(new CreateJob.Reset(id, "M1", 0, 5, 1));
        assertThat(second).isEqualTo(new CreateJob.Reset(id, "M1", 1, 5, 1));
        assertThat(third).isEqualTo(new CreateJob.Reset(id, "M1", 2, 5, 1));
    }

    @Test
    void theNewestJobIsResetEvenWhileItRunsAsTheDeployedProducerHasNoRunningJobRule() {
        created(create(fromGraph("M1", SegmentSource.SEGMENTATION, 0)));
        clock.advance(Duration.ofSeconds(1));
        JobId newest = created(create(new Command("M1", SegmentSource.SEGMENTATION, null, 0, null, true)));
        UseCaseFixtures.claim(store, new TaskKey(newest, "S2"), "w1", clock.instant(), Duration.ofSeconds(60));
        drain(queue);

        CreateJob.Result result = create(resetFromGraph("M1", null));

        assertThat(result).isInstanceOfSatisfying(CreateJob.Reset.class, r -> assertThat(r.jobId()).isEqualTo(newest));
        assertThat(store.jobStatus(newest).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        assertThat(store.listJobs(JobQuery.all(10))).hasSize(2);
    }

    @Test
    void aResetOfAManifestationWithoutAJobCreatesItsFirstJob() {
        CreateJob.Result result = create(resetFromGraph("M1", null));

        JobId id = created(result);
        assertThat(result).isEqualTo(new CreateJob.Created(id, "M1", 5, 1));
        assertThat(drainBodies(queue)).singleElement()
                .satisfies(b -> assertThat(field(b, "destination_environment")).isEqualTo("PRODUCTION"));
    }

    @Test
    void aResetMakesTheTasksTheJobLacksAndCountsOnlyTheSegmentsGiven() {
        JobId id = created(create(new Command("M1", SegmentSource.SEGMENTATION,
                List.of(new NewTask("X1", new Span(0, 5))), 0, null, false)));
        List<NewTask> now = List.of(new NewTask("X1", new Span(0, 5)), new NewTask("X2", new Span(5, 9)));

        CreateJob.Result result = create(new Command("M1", SegmentSource.SEGMENTATION, now, 0, null, false, null, null,
                true));

        assertThat(result).isEqualTo(new CreateJob.Reset(id, "M1", 0, 2, 2));
        assertThat(store.jobStatus(id).orElseThrow().totalSegments()).isEqualTo(2);
        assertThat(store.task(new TaskKey(id, "X2")).orElseThrow().span()).isEqualTo(new Span(5, 9));
    }

    @Test
    void aJobIdNamesTheJobToResetInsteadOfTheNewest() {
        JobId older = created(create(fromGraph("M1", SegmentSource.SEGMENTATION, 0)));
        clock.advance(Duration.ofSeconds(1));
        created(create(new Command("M1", SegmentSource.SEGMENTATION, null, 0, null, true)));

        CreateJob.Result result = create(resetFromGraph("M1", older));

        assertThat(result).isInstanceOfSatisfying(CreateJob.Reset.class, r -> assertThat(r.jobId()).isEqualTo(older));
    }

    @Test
    void aResetThatFindsNoSegmentsChangesNothing() {
        JobId id = created(create(new Command("BARE", SegmentSource.SEGMENTATION,
                List.of(new NewTask("X1", new Span(0, 5))), 0, null, false)));
        UseCaseFixtures.complete(store, new TaskKey(id, "X1"), List.of(), clock.instant());
        drain(queue);

        CreateJob.Result result = create(resetFromGraph("BARE", null));

        assertThat(result).isEqualTo(new CreateJob.NoSegments("BARE", SegmentSource.SEGMENTATION));
        assertThat(store.jobStatus(id).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(queue.stats().visible()).isZero();
    }

    @Test
    void aJobDeletedBeforeItsResetIsCreatedAfresh() {
        JobId gone = created(create(fromGraph("M1", SegmentSource.SEGMENTATION, 0)));
        drain(queue);
        Jobs deletedMeanwhile = new Jobs() {
            @Override
            public CreateJobResult createJob(NewJob job, Instant now) {
                return store.createJob(job, now);
            }

            @Override
            public Optional<JobStatus> jobStatus(JobId jobId) {
                return store.jobStatus(jobId);
            }

            @Override
            public List<JobStatus> listJobs(JobQuery query) {
                return store.listJobs(query);
            }

            @Override
            public OptionalInt resetJob(JobId jobId, List<NewTask> tasks, Instant now) {
                return OptionalInt.empty();
            }
        };
        CreateJob create = SegmentRelations.createJob(() -> graph, deletedMeanwhile, store, queue, clock);

        CreateJob.Result result = create.create(resetFromGraph("M1", null), sent -> { });

        assertThat(result).isInstanceOfSatisfying(CreateJob.Created.class, c -> {
            assertThat(c.jobId()).isNotEqualTo(gone);
            assertThat(c.segments()).isEqualTo(5);
        });
        assertThat(drainBodies(queue)).singleElement()
                .satisfies(b -> assertThat(field(b, "source_environment")).isEqualTo("DEVELOPMENT"));
    }

    @Test
    void anEnvironmentThatIsNotAPlainIdentifierIsRefusedByTheCommand() {
        assertThatThrownBy(() -> new Command("M1", SegmentSource.SEGMENTATION, null, 1,
                null, false, "DEV-1", "PRODUCTION", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DEV-1");
    }
}
