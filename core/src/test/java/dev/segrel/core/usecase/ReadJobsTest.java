package dev.segrel.core.usecase;

import static dev.segrel.core.usecase.UseCaseFixtures.expectedFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobQuery;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.in.ReadJobs;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryTaskStore;
import dev.segrel.testkit.store.JobTestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReadJobsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
    private final ReadJobs readJobs = SegmentRelations.readJobs(store, store, clock);

    private JobId createJob(String manifestation, int tasks) {
        JobId id = JobId.random();
        store.createJob(JobTestData.aJob().withId(id).withManifestation(manifestation).withTasks(tasks).build(),
                clock.instant());
        return id;
    }

    private void completeTasks(JobId job, int from, int to) {
        for (int i = from; i < to; i++) {
            UseCaseFixtures.complete(store, new TaskKey(job, "S" + i), expectedFor(i), clock.instant());
        }
    }

    @Test
    void progressMeasuresTheRateSinceTheJobWasCreatedAndTheTimeLeftAtThatRate() {
        JobId job = createJob("M1", 10);
        clock.advance(Duration.ofSeconds(5));
        completeTasks(job, 0, 4);
        clock.advance(Duration.ofSeconds(3));

        ReadJobs.Progress progress = readJobs.progress(job).orElseThrow();

        assertThat(progress.status().done()).isEqualTo(4);
        assertThat(progress.ratePerSecond()).as("4 tasks in 8 s").isEqualTo(0.5);
        assertThat(progress.eta()).as("6 tasks left at 0.5/s").contains(Duration.ofSeconds(12));
    }

    @Test
    void aJobWithNothingDoneYetHasARateOfZeroAndNoEta() {
        JobId job = createJob("M1", 10);
        clock.advance(Duration.ofSeconds(30));

        ReadJobs.Progress progress = readJobs.progress(job).orElseThrow();

        assertThat(progress.ratePerSecond()).isZero();
        assertThat(progress.eta()).isEmpty();
    }

    @Test
    void theRateOfAFinishedJobIsMeasuredUntilItFinishedAndItHasNoEta() {
        JobId job = createJob("M1", 10);
        clock.advance(Duration.ofSeconds(20));
        completeTasks(job, 0, 10);
        clock.advance(Duration.ofMinutes(10));

        ReadJobs.Progress progress = readJobs.progress(job).orElseThrow();

        assertThat(progress.status().state()).isEqualTo(JobState.COMPLETED);
        assertThat(progress.ratePerSecond()).as("10 tasks in the 20 s until it finished").isEqualTo(0.5);
        assertThat(progress.eta()).isEmpty();
    }

    @Test
    void newestOfPrefersTheNewestCompletedJobOverANewerRunningOne() {
        JobId completed = createJob("M1", 1);
        completeTasks(completed, 0, 1);
        clock.advance(Duration.ofMinutes(1));
        JobId running = createJob("M1", 1);

        Optional<JobStatus> newest = readJobs.newestOf("M1");

        assertThat(newest).map(JobStatus::jobId).contains(completed);
        assertThat(readJobs.list(JobQuery.all(10))).extracting(JobStatus::jobId).containsExactly(running, completed);
    }

    @Test
    void newestOfAManifestationWithoutACompletedJobIsItsNewestJob() {
        createJob("M1", 1);
        clock.advance(Duration.ofMinutes(1));
        JobId newer = createJob("M1", 1);
        clock.advance(Duration.ofMinutes(1));
        createJob("M2", 1);

        assertThat(readJobs.newestOf("M1")).map(JobStatus::jobId).contains(newer);
        assertThat(readJobs.newestOf("NOPE")).isEmpty();
    }

    @Test
    void resultsStreamEveryTaskOfTheJobInSegmentIdOrder() {
        JobId job = createJob("M1", 12);
        completeTasks(job, 0, 10);
        List<TaskDetail> streamed = new ArrayList<>();

        boolean known = readJobs.results(job, streamed::add);

        assertThat(known).isTrue();
        List<String> bySegmentId = IntStream.range(0, 12).mapToObj(i -> "S" + i).sorted().toList();
        assertThat(streamed).extracting(t -> t.key().segmentId()).containsExactlyElementsOf(bySegmentId);
        assertThat(streamed).filteredOn(t -> t.key().segmentId().equals("S3")).singleElement()
                .satisfies(t -> assertThat(t.mappings()).isEqualTo(expectedFor(3)));
        assertThat(streamed).filteredOn(t -> t.state() == TaskState.QUEUED).extracting(t -> t.key().segmentId())
                .containsExactly("S10", "S11");
    }

    @Test
    void aPageIsTheWindowOfTheResultsOrderWithTheJobsNumberOfTasks() {
        JobId job = createJob("M1", 12);
        completeTasks(job, 0, 12);

        ReadJobs.Page page = readJobs.page(job, 3, 4).orElseThrow();

        assertThat(page.jobId()).isEqualTo(job);
        assertThat(page.manifestationId()).isEqualTo("M1");
        assertThat(page.tasks()).extracting(t -> t.key().segmentId()).as("S0 S1 S10 S11 S2 S3 S4 …, from the 4th")
                .containsExactly("S11", "S2", "S3", "S4");
        assertThat(page.tasks().get(1).mappings()).isEqualTo(expectedFor(2));
        assertThat(page.skip()).isEqualTo(3);
        assertThat(page.limit()).isEqualTo(4);
        assertThat(page.total()).isEqualTo(12);
    }

    @Test
    void theLastPageIsShortAndAPagePastTheEndIsEmptyWithTheTotal() {
        JobId job = createJob("M1", 5);

        assertThat(readJobs.page(job, 3, 100).orElseThrow().tasks()).extracting(t -> t.key().segmentId())
                .containsExactly("S3", "S4");
        ReadJobs.Page past = readJobs.page(job, 5, 10).orElseThrow();
        assertThat(past.tasks()).isEmpty();
        assertThat(past.total()).isEqualTo(5);
    }

    @Test
    void aPageIsAtMostAHundredTasksFromANonNegativeSkip() {
        JobId job = createJob("M1", 1);

        assertThat(readJobs.page(job, 0, ReadJobs.MAX_PAGE_LIMIT)).isPresent();
        assertThatThrownBy(() -> readJobs.page(job, 0, 101)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be in 1..100, was 101");
        assertThatThrownBy(() -> readJobs.page(job, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> readJobs.page(job, -1, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("skip must be >= 0, was -1");
    }

    @Test
    void anUnknownJobHasNoProgressNoResultsAndNoPage() {
        JobId unknown = JobId.random();
        List<TaskDetail> streamed = new ArrayList<>();

        assertThat(readJobs.progress(unknown)).isEmpty();
        assertThat(readJobs.results(unknown, streamed::add)).isFalse();
        assertThat(streamed).isEmpty();
        assertThat(readJobs.page(unknown, 0, 10)).isEmpty();
    }
}
