package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.Batch;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskClaims.Creation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployed producer's batches handled by racing workers on two pools (two JVMs): every batch
 * delivered twice at once, its tasks made by whichever worker gets there first, completions of one
 * batch racing with its registration by the other. Each batch must be announced exactly once and
 * every segment counted once.
 */
class BatchRaceTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final int BATCHES = 12;
    private static final int BATCH_SIZE = 40;

    private static TwoWorkers workers;

    @BeforeAll
    static void start() {
        workers = TwoWorkers.open(4);
    }

    @AfterAll
    static void stop() {
        workers.close();
    }

    @Test
    void everyBatchIsAnnouncedOnceAndEverySegmentCountedOnce() throws Exception {
        int total = BATCHES * BATCH_SIZE;
        // the producer's job row, then a job of no task rows: made through the store, as reset does
        JobId job = ProducerJobs.jobWithoutTasks(workers.first(), workers.schema(), total, T0);
        List<Batch> batches = ProducerJobs.batches(job, BATCHES, BATCH_SIZE);
        Map made = new Map();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (Batch batch : batches) {
                for (Postgres worker : List.of(workers.first(), workers.second(), workers.first())) {
                    work.add(pool.submit(() -> deliver(worker, batch, made)));
                }
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(made.count()).isEqualTo(total);
        assertThat(workers.schema().queryLong("SELECT count(*) FROM segrel_outbox WHERE message_id LIKE 'batch-completed:%'"))
                .isEqualTo(BATCHES);
        assertThat(workers.schema().queryLong("SELECT count(*) FROM segrel_outbox WHERE message_id LIKE 'job-completed:%'"))
                .as("a batched job gets no job message").isZero();
        JobStatus status = workers.first().jobs().jobStatus(job).orElseThrow();
        assertThat(status.completedSegments()).isEqualTo(total);
        assertThat(status.state()).isEqualTo(JobState.COMPLETED);
    }

    /** One delivery of a batch: register it, then make, claim and complete each of its tasks it can. */
    private static void deliver(Postgres worker, Batch batch, Map made) {
        worker.batches().register(batch, T0);
        List<String> ids = new ArrayList<>(batch.segmentIds());
        Collections.shuffle(ids);
        for (String id : ids) {
            TaskKey key = new TaskKey(batch.jobId(), id);
            Span span = Span.of(0, 10);
            TaskClaims.ClaimResult claim = worker.claims().claim(key, span, "w" + Thread.currentThread().threadId(), T0,
                    Duration.ofMinutes(5));
            if (claim instanceof TaskClaims.UnknownTask) {
                if (worker.claims().create(key, batch.manifestationId(), span, T0) == Creation.MADE) {
                    made.add(id);
                }
                claim = worker.claims().claim(key, span, "w" + Thread.currentThread().threadId(), T0, Duration.ofMinutes(5));
            }
            if (claim instanceof TaskClaims.Claimed claimed) {
                worker.completions().complete(claimed.task().lease(),
                        List.of(new Mapping("OTHER", List.of(Segment.of("x", 0, 1)))), T0);
            }
        }
    }

    /** The ids made, each once. */
    private static final class Map {
        private final java.util.Set<String> ids = ConcurrentHashMap.newKeySet();
        private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

        void add(String id) {
            assertThat(ids.add(id)).as("made twice: " + id).isTrue();
            count.incrementAndGet();
        }

        int count() {
            return count.get();
        }
    }
}
