package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.domain.RetryPolicy;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.in.ProcessTask.Done;
import dev.segrel.core.port.in.ProcessTask.Failed;
import dev.segrel.core.port.in.ProcessTask.Outcome;
import dev.segrel.core.port.in.ProcessTask.RetryLater;
import dev.segrel.core.port.out.StoreUnavailableException;
import dev.segrel.core.port.out.TaskClaims.ClaimedTask;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.core.port.out.TaskCompletions.EndResult;
import dev.segrel.core.port.out.TaskCompletions.Ending;
import dev.segrel.core.port.out.Tracing;
import dev.segrel.core.port.out.Tracing.TraceSpan;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set's claimed tasks, computed one by one and ended in as few transactions as the {@link ResultBytes}
 * allow: when a computed result does not fit, what the set holds is stored and its bytes released
 * first. Each task keeps its own outcome; a store that is down leaves every task not yet stored to
 * come back. One instance serves every set of a worker; thread-safe.
 */
final class ChunkedRun {

    private static final Logger log = LoggerFactory.getLogger(ProcessTaskService.class);

    /** A claimed task's result or failure; never throws. */
    interface Computation {
        Ending compute(ClaimedTask task, String environment);
    }

    private final TaskCompletions completions;
    private final RetryPolicy retry;
    private final Duration leaseFor;
    private final Clock clock;
    private final RandomGenerator random;
    private final Tracing tracing;
    private final ResultBytes resultBytes;
    private final Computation computation;

    ChunkedRun(TaskCompletions completions, RetryPolicy retry, Duration leaseFor, Clock clock, RandomGenerator random,
            Tracing tracing, ResultBytes resultBytes, Computation computation) {
        this.completions = requireNonNull(completions, "completions is null");
        this.retry = requireNonNull(retry, "retry is null");
        this.leaseFor = requireNonNull(leaseFor, "leaseFor is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
        this.tracing = requireNonNull(tracing, "tracing is null");
        this.resultBytes = requireNonNull(resultBytes, "resultBytes is null");
        this.computation = requireNonNull(computation, "computation is null");
    }

    /**
     * Computes the claimed tasks of a set (span {@code search}) and ends them in one transaction (span
     * {@code store}), in chunks as large as the {@link ResultBytes} allow. {@code traces} are the tasks'
     * messages' and {@code set} the set span's. The caller holds the tasks' leases meanwhile.
     */
    List<Outcome> run(List<ClaimedTask> tasks, List<String> environments, List<TraceContext> traces,
            TraceContext set) {
        long began = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>(tasks.size());
        Ending carried = null;
        while (outcomes.size() < tasks.size()) {
            int from = outcomes.size();
            Chunk chunk = computeChunk(tasks, environments, from, carried);
            carried = chunk.next();
            int to = from + chunk.endings().size();
            try {
                outcomes.addAll(store(tasks.subList(from, to), chunk, traces.subList(from, to), set));
            } catch (StoreUnavailableException e) {
                // the leases will expire and the messages come back; nothing more is written
                log.warn("Could not store the results of {} segments (store unavailable: {}); they come back",
                        tasks.size() - from, Secrets.redact(String.valueOf(e.getMessage())));
                for (ClaimedTask task : tasks.subList(from, tasks.size())) {
                    outcomes.add(new RetryLater(task.lease().key(), retry.backoff(task.attempt(), random),
                            task.attempt(), Secrets.redact("store unavailable: " + e.getMessage())));
                }
                break;
            } finally {
                resultBytes.release(chunk.reserved());
            }
        }
        SetLog.ended(outcomes, (System.nanoTime() - began) / 1_000_000);
        return outcomes;
    }

    /** Computed endings from {@code from}, as many as fit; {@code next} is the computed one that did not. */
    private record Chunk(List<Ending> endings, int[] mappings, long reserved, Ending next) {
        Chunk {
            requireNonNull(endings, "endings is null");
            requireNonNull(mappings, "mappings is null");
            if (endings.isEmpty() || reserved < 0) {
                throw new IllegalArgumentException("a chunk holds at least one ending and its bytes");
            }
        }
    }

    private Chunk computeChunk(List<ClaimedTask> tasks, List<String> environments, int from, Ending carried) {
        List<Ending> endings = new ArrayList<>();
        int[] mappings = new int[tasks.size() - from];
        long reserved = 0;
        Ending next = null;
        boolean computed = false;
        try (TraceSpan search = tracing.start("search")) {
            long visited = 0;
            for (int i = from; i < tasks.size(); i++) {
                Ending ending = i == from && carried != null ? carried
                        : computation.compute(tasks.get(i), environments.get(i));
                long bytes = ResultBytes.sizeOf(ending);
                long got = endings.isEmpty() ? reserveHoldingNothing(bytes) : resultBytes.tryReserve(bytes);
                if (got < 0) {
                    next = ending; // stored in the next chunk, once this one's bytes are released
                    break;
                }
                reserved += got;
                int j = endings.size();
                mappings[j] = ending.result() == null ? 0 : ending.result().size();
                // the query's own manifestation, and every one it reached
                visited += ending.result() == null ? 0 : mappings[j] + 1;
                endings.add(ending);
            }
            search.attribute("segrel.tasks", endings.size())
                    .attribute("segrel.search.manifestations_visited", visited)
                    .attribute("segrel.search.mappings", Arrays.stream(mappings).asLongStream().sum());
            computed = true;
        } finally {
            if (!computed) {
                resultBytes.release(reserved); // an Error mid-chunk: its bytes are not held by anyone
            }
        }
        return new Chunk(endings, Arrays.copyOf(mappings, endings.size()), reserved, next);
    }

    /** Waits for the bytes of a set's first held result; interrupted (stopping), goes on without them. */
    private long reserveHoldingNothing(long bytes) {
        try {
            return resultBytes.reserve(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Ends a chunk's tasks in one transaction; throws when the store is unavailable (nothing written). */
    private List<Outcome> store(List<ClaimedTask> tasks, Chunk chunk, List<TraceContext> traces, TraceContext set) {
        List<Ending> endings = new ArrayList<>(chunk.endings());
        List<EndResult> ended;
        try (TraceSpan store = tracing.start("store")) {
            store.attribute("segrel.tasks", tasks.size());
            SetTrace.continueIn(endings, traces, set, store.context());
            try {
                ended = completions.endAll(endings, retry.maxAttempts(), clock.instant());
            } catch (StoreUnavailableException e) {
                store.error("store unavailable");
                throw e;
            }
            store.attribute("segrel.completed", SetTrace.completed(ended))
                    .attribute("segrel.jobs_finished", SetTrace.jobsFinished(ended));
        }
        List<Outcome> outcomes = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            outcomes.add(outcome(tasks.get(i), endings.get(i), ended.get(i), chunk.mappings()[i]));
        }
        return outcomes;
    }

    private Outcome outcome(ClaimedTask task, Ending ending, EndResult ended, int mappings) {
        TaskKey key = task.lease().key();
        return switch (ended) {
            case TaskCompletions.Completed completed -> new Done(key, task.attempt(), mappings, completed.jobFinished());
            case TaskCompletions.WillRetry retrying -> new RetryLater(key, retry.backoff(retrying.attempts(), random),
                    retrying.attempts(), ending.error());
            case TaskCompletions.FailedForGood failed -> new Failed(key, failed.attempts(),
                    failed.error() != null ? failed.error() : ending.error(), failed.jobFinished());
            case TaskCompletions.LeaseLost lost -> new RetryLater(key, leaseFor, task.attempt(), ending.error() == null
                    ? "lease lost before the result was stored; another worker has the task"
                    : ending.error() + "; lease lost before the failure was recorded");
        };
    }
}
