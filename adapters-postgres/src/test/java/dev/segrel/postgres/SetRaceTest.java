package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.Batch;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.out.TaskClaims.ClaimRequest;
import dev.segrel.core.port.out.TaskClaims.ClaimResult;
import dev.segrel.core.port.out.TaskClaims.Claimed;
import dev.segrel.core.port.out.TaskCompletions.Completed;
import dev.segrel.core.port.out.TaskCompletions.EndResult;
import dev.segrel.core.port.out.TaskCompletions.Ending;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The set forms raced by two workers on two pools (two JVMs): each repeatedly claims, with
 * create-if-missing, overlapping sets of a batch job's segments (in shuffled order, across batches)
 * and ends what it got in one set. No task is completed twice, the job's counts are exact, each batch
 * is announced once, and no deadlock (nor any other store error) surfaces.
 */
class SetRaceTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final int BATCHES = 8;
    private static final int BATCH_SIZE = 50;
    private static final int SET_SIZE = 120;

    private static TwoWorkers workers;

    @BeforeAll
    static void start() {
        workers = TwoWorkers.open(3);
    }

    @AfterAll
    static void stop() {
        workers.close();
    }

    @Test
    void overlappingSetsAreClaimedAndEndedOnceEachWithoutDeadlock() throws Exception {
        int total = BATCHES * BATCH_SIZE;
        // the producer's job row, with no task rows: the set claims make them
        JobId job = ProducerJobs.jobWithoutTasks(workers.first(), workers.schema(), total, T0);
        List<Batch> batches = ProducerJobs.batches(job, BATCHES, BATCH_SIZE);
        for (Batch batch : batches) {
            workers.first().batches().register(batch, T0);
        }
        List<String> all = batches.stream().flatMap(b -> b.segmentIds().stream()).toList();
        Set<TaskKey> completed = ConcurrentHashMap.newKeySet();

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> work = new ArrayList<>();
            int worker = 0;
            for (Postgres store : List.of(workers.first(), workers.second(), workers.first(), workers.second())) {
                String owner = "w" + worker;
                long seed = worker++;
                work.add(pool.submit(() -> run(store, owner, job, all, completed, new Random(seed))));
            }
            for (Future<Integer> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(completed).hasSize(total);
        assertThat(workers.schema().queryLong("SELECT count(*) FROM segment_task WHERE job_id = '" + job + "' AND status = 'COMPLETED'"))
                .isEqualTo(total);
        assertThat(workers.schema().queryLong("SELECT count(*) FROM segrel_outbox WHERE message_id LIKE 'batch-completed:" + job + ":%'"))
                .isEqualTo(BATCHES);
        assertThat(workers.schema().queryLong("SELECT count(*) FROM segrel_outbox WHERE message_id LIKE 'job-completed:%" + job + "%'"))
                .as("a batched job gets no job message").isZero();
        assertThat(workers.schema().queryLong("SELECT count(*) FROM segrel_batch WHERE job_id = '" + job + "' AND remaining = 0"))
                .isEqualTo(BATCHES);
        JobStatus status = workers.first().jobs().jobStatus(job).orElseThrow();
        assertThat(status.completedSegments()).isEqualTo(total);
        assertThat(status.failedSegments()).isZero();
        assertThat(status.state()).isEqualTo(JobState.COMPLETED);
    }

    /** Claims random overlapping sets until every task is done; returns how many sets it ended. */
    private static int run(Postgres store, String owner, JobId job, List<String> all, Set<TaskKey> completed, Random random) {
        int sets = 0;
        List<String> ids = new ArrayList<>(all);
        while (completed.size() < all.size()) {
            Collections.shuffle(ids, random);
            List<ClaimRequest> requests = ids.subList(0, SET_SIZE).stream()
                    .map(id -> new ClaimRequest(new TaskKey(job, id), Span.of(0, 10), "TEXT"))
                    .toList();
            List<ClaimResult> results = store.claims().claimAll(requests, owner, T0, Duration.ofMinutes(5));
            List<Ending> endings = results.stream()
                    .filter(r -> r instanceof Claimed)
                    .map(r -> Ending.success(((Claimed) r).task().lease(),
                            List.of(new Mapping("OTHER", List.of(Segment.of("x", 0, 1))))))
                    .toList();
            for (EndResult ended : store.completions().endAll(endings, 3, T0)) {
                assertThat(ended).isInstanceOf(Completed.class);
                assertThat(completed.add(ended.key())).as("completed twice: " + ended.key()).isTrue();
            }
            sets++;
        }
        return sets;
    }
}
