package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.port.out.TaskClaims.AlreadyCompleted;
import dev.segrel.core.port.out.TaskClaims.ClaimResult;
import dev.segrel.core.port.out.TaskClaims.Claimed;
import dev.segrel.core.port.out.TaskClaims.HeldByOther;
import dev.segrel.core.port.out.TaskCompletions.CompleteResult;
import dev.segrel.core.port.out.TaskCompletions.Completed;
import dev.segrel.core.port.out.TaskCompletions.LeaseLost;
import dev.segrel.testkit.postgres.TestingPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many workers on two connection pools (standing in for two JVMs) claim and complete the same
 * 10,000 tasks, with duplicate deliveries, workers that die after claiming (their lease expires and
 * another worker takes the task over), and stalled workers that try to complete after losing their
 * lease. Time is the message's: each delivery carries its own {@code now}, so leases expire without
 * waiting.
 */
class ClaimCompleteRaceTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final int JOBS = 20;
    private static final int TASKS_PER_JOB = 500;
    private static final int THREADS_PER_POOL = 3;

    /** Something a worker does: a (re)delivered task message, or a stalled worker's late completion. */
    private sealed interface Work permits Delivery, LateCompletion {}

    private record Delivery(TaskKey key, Span span, Instant now) implements Work {}

    private record LateCompletion(Lease lease, Instant now) implements Work {}

    private final ConcurrentLinkedQueue<Work> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger counted = new AtomicInteger();
    private final AtomicInteger jobsFinished = new AtomicInteger();
    private final AtomicInteger leaseLost = new AtomicInteger();
    private final AtomicInteger heldByOther = new AtomicInteger();
    private final AtomicInteger takeovers = new AtomicInteger();
    private final AtomicInteger alreadyCompleted = new AtomicInteger();
    private final AtomicLong steps = new AtomicLong();

    @Test
    void everyTaskGetsExactlyOneResultAndEveryJobExactlyOneCompletionMessage() throws Exception {
        TestingPostgres.Schema schema = TestingPostgres.shared().freshSchema();
        PostgresConfig config = PostgresConfig.ofUrl(schema.jdbcUrl()).withPoolSize(THREADS_PER_POOL);
        try (Postgres first = Postgres.connect(config, "race-a");
                Postgres second = Postgres.connect(config, "race-b")) {
            first.migrator().migrate();
            List<JobId> jobs = createJobs(first.jobs());
            enqueueDeliveriesWithDuplicates(jobs, new SplittableRandom(42));

            ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_POOL);
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < 2 * THREADS_PER_POOL; i++) {
                Postgres store = i % 2 == 0 ? first : second;
                String owner = "worker-" + i;
                long seed = 1000 + i;
                workers.add(pool.submit(() -> work(store, owner, new SplittableRandom(seed))));
            }
            for (Future<?> worker : workers) {
                worker.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();

            assertThat(counted.get()).as("tasks counted by complete()").isEqualTo(JOBS * TASKS_PER_JOB);
            assertThat(jobsFinished.get()).as("completions that finished a job").isEqualTo(JOBS);
            assertThat(schema.queryLong("SELECT count(*) FROM segment_task WHERE status = 'COMPLETED' "
                            + "AND result_json -> 0 ->> 'manifestation_id' = 'R-' || job_id || '-' || segment_id"))
                    .as("tasks holding their own result").isEqualTo(JOBS * TASKS_PER_JOB);
            assertThat(schema.queryLong("SELECT count(*) FROM root_job WHERE status = 'COMPLETED' "
                            + "AND completed_segments = total_segments AND failed_segments = 0"))
                    .isEqualTo(JOBS);
            assertThat(schema.queryLong("SELECT sum(completed_segments) FROM root_job")).isEqualTo(JOBS * TASKS_PER_JOB);
            assertThat(schema.queryLong("SELECT count(*) FROM segrel_outbox")).isEqualTo(JOBS);
            assertThat(schema.queryLong("SELECT count(DISTINCT o.message_id) FROM segrel_outbox o "
                            + "JOIN root_job j ON o.message_id = 'job-completed:' || j.job_id"))
                    .isEqualTo(JOBS);
            // the injected faults did happen
            assertThat(takeovers.get()).as("claims of an expired lease").isPositive();
            assertThat(leaseLost.get()).as("fenced late completions").isPositive();
            assertThat(heldByOther.get()).as("duplicates refused while held").isPositive();
            assertThat(alreadyCompleted.get()).as("duplicates acknowledged as no-ops").isPositive();
            System.out.printf("race: %d steps, %d takeovers, %d fenced, %d held, %d already completed%n",
                    steps.get(), takeovers.get(), leaseLost.get(), heldByOther.get(), alreadyCompleted.get());
        }
    }

    private static List<JobId> createJobs(Jobs store) {
        List<JobId> jobs = new ArrayList<>();
        for (int j = 0; j < JOBS; j++) {
            List<NewTask> tasks = new ArrayList<>();
            for (int t = 0; t < TASKS_PER_JOB; t++) {
                tasks.add(new NewTask("S" + t, Span.of(t * 10, t * 10 + 10)));
            }
            JobId id = JobId.random();
            store.createJob(new NewJob(id, "M" + j, tasks), T0);
            jobs.add(id);
        }
        return jobs;
    }

    private void enqueueDeliveriesWithDuplicates(List<JobId> jobs, SplittableRandom random) {
        // A duplicate follows its original in the queue, so that two workers race for the same row.
        List<List<Work>> groups = new ArrayList<>();
        for (JobId job : jobs) {
            for (int t = 0; t < TASKS_PER_JOB; t++) {
                TaskKey key = new TaskKey(job, "S" + t);
                Span span = Span.of(t * 10, t * 10 + 10);
                List<Work> group = new ArrayList<>();
                group.add(new Delivery(key, span, T0));
                int duplicates = random.nextInt(100) < 30 ? 1 + random.nextInt(2) : 0;
                for (int k = 0; k < duplicates; k++) {
                    group.add(new Delivery(key, span, T0.plusMillis(random.nextInt(5_000))));
                }
                groups.add(group);
            }
        }
        Collections.shuffle(groups, new java.util.Random(7));
        List<Work> all = groups.stream().flatMap(List::stream).toList();
        outstanding.addAndGet(all.size());
        queue.addAll(all);
    }

    private void push(Work work) {
        outstanding.incrementAndGet();
        queue.add(work);
    }

    private void work(Postgres store, String owner, SplittableRandom random) {
        while (outstanding.get() > 0) {
            Work work = queue.poll();
            if (work == null) {
                Thread.yield();
                continue;
            }
            try {
                steps.incrementAndGet();
                switch (work) {
                    case Delivery d -> deliver(store, owner, random, d);
                    case LateCompletion late -> record(store.completions().complete(late.lease(), resultOf(late.lease().key()), late.now()));
                }
            } finally {
                outstanding.decrementAndGet();
            }
        }
    }

    private void deliver(Postgres store, String owner, SplittableRandom random, Delivery d) {
        ClaimResult result = store.claims().claim(d.key(), d.span(), owner, d.now(), LEASE);
        switch (result) {
            case Claimed claimed -> {
                if (claimed.task().attempt() > 1) {
                    takeovers.incrementAndGet();
                }
                int dice = random.nextInt(100);
                Instant afterLease = d.now().plus(LEASE).plusSeconds(1);
                if (dice < 5) {
                    // the worker dies: the message comes back after the visibility timeout
                    push(new Delivery(d.key(), d.span(), afterLease));
                } else if (dice < 10) {
                    // the worker stalls past its lease, then tries to complete
                    push(new Delivery(d.key(), d.span(), afterLease));
                    push(new LateCompletion(claimed.task().lease(), afterLease.plusSeconds(5)));
                } else {
                    record(store.completions().complete(claimed.task().lease(), resultOf(d.key()), d.now()));
                }
            }
            case HeldByOther held -> {
                heldByOther.incrementAndGet();
                push(new Delivery(d.key(), d.span(), held.until()));
            }
            case AlreadyCompleted done -> alreadyCompleted.incrementAndGet();
            default -> throw new AssertionError("unexpected claim result " + result);
        }
    }

    private void record(CompleteResult result) {
        switch (result) {
            case Completed completed -> {
                counted.incrementAndGet();
                if (completed.jobFinished()) {
                    jobsFinished.incrementAndGet();
                }
            }
            case LeaseLost lost -> leaseLost.incrementAndGet();
        }
    }

    private static List<Mapping> resultOf(TaskKey key) {
        return List.of(new Mapping("R-" + key.jobId() + "-" + key.segmentId(), List.of(Segment.of("x", 0, 1))));
    }
}
