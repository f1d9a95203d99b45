package dev.segrel.core.usecase;

import static dev.segrel.testkit.graph.GraphFixture.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.SegmentRelations;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.in.ProcessTask;
import dev.segrel.testkit.graph.GraphFixture;
import dev.segrel.testkit.queue.MutableClock;
import dev.segrel.testkit.store.InMemoryOutbox;
import dev.segrel.testkit.store.InMemoryTaskStore;
import dev.segrel.testkit.store.JobTestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A long-running worker meets ever new manifestations: what it remembers of them stays bounded. */
class KnownManifestationsBoundTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aWorkerThatMeetsMoreManifestationsThanTheCapRemembersAtMostTheCap() {
        int texts = RecentlySeen.DEFAULT_CAPACITY + 500;
        GraphFixture f = new GraphFixture();
        for (int m = 0; m < texts; m++) {
            f.segmentation("M" + m, "M" + m + "-seg", seg(JobTestData.segmentId(0), 0, 10));
        }
        InMemoryTaskStore store = new InMemoryTaskStore(new InMemoryOutbox());
        ProcessTaskService service = (ProcessTaskService) SegmentRelations.processTask(store, store,
                f.toInMemoryGraph(), new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(60)),
                Duration.ofSeconds(60), clock, UseCaseFixtures.lowJitter());
        List<ProcessTask.Outcome> outcomes = new ArrayList<>();

        for (int m = 0; m < texts; m++) {
            JobId job = JobId.random();
            store.createJob(JobTestData.aJob().withId(job).withManifestation("M" + m).withTasks(1).build(),
                    clock.instant());
            outcomes.add(service.process(new ProcessTask.Command(new TaskKey(job, JobTestData.segmentId(0)), null, "w1")));
        }

        assertThat(outcomes).hasSize(texts).allSatisfy(o -> assertThat(o).isInstanceOf(ProcessTask.Done.class));
        assertThat(service.knownManifestationCount()).isPositive().isLessThanOrEqualTo(RecentlySeen.DEFAULT_CAPACITY);
    }

    @Test
    void aNameIsForgottenAfterItsTimeToLiveAndTheLeastRecentlySeenGoesFirst() {
        RecentlySeen seen = new RecentlySeen(2, Duration.ofMinutes(5));
        Instant t0 = clock.instant();
        seen.add("A", t0);
        seen.add("B", t0);
        assertThat(seen.contains("A", t0.plusSeconds(1))).isTrue(); // A is now the most recent

        seen.add("C", t0.plusSeconds(2));

        assertThat(seen.size()).isEqualTo(2);
        assertThat(seen.contains("B", t0.plusSeconds(3))).as("least recently seen, evicted").isFalse();
        assertThat(seen.contains("A", t0.plusSeconds(3))).isTrue();
        assertThat(seen.contains("C", t0.plus(Duration.ofMinutes(5)).plusSeconds(2))).as("expired").isFalse();
        assertThat(seen.size()).isEqualTo(1);
    }
}
