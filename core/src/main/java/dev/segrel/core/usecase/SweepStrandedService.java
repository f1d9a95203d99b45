package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Span;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.SweepStranded;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.core.port.out.QueueAdmin;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskRecovery;
import dev.segrel.core.port.out.TaskRecovery.PendingTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sweeper; see {@link SweepStranded}. */
final class SweepStrandedService implements SweepStranded {

    /** How long the queue's counters may lag a send (SQS: about a minute). */
    static final Duration COUNTER_LAG = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(SweepStrandedService.class);

    private final TaskRecovery recovery;
    private final TaskQueue queue;
    private final QueueShortfall shortfall;
    private final SpanlessFailures spanless;
    private final AlignmentGraph graph;
    private final Clock clock;
    private final Limits limits;

    /**
     * @param counts the queue's counters; null when there are none to read, and then only expired
     *     leases are re-dispatched (a quiet task is never provably stranded without them)
     * @param claims and {@code completions}: to fail tasks no span can be found for; null to leave them waiting
     */
    SweepStrandedService(TaskRecovery recovery, TaskQueue queue, QueueAdmin counts, TaskClaims claims,
            TaskCompletions completions, AlignmentGraph graph, Clock clock, Limits limits) {
        this.recovery = requireNonNull(recovery, "recovery is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.graph = requireNonNull(graph, "graph is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.shortfall = new QueueShortfall(recovery, counts, limits.tasksPerMessage());
        this.spanless = claims == null || completions == null ? null : new SpanlessFailures(claims, completions);
    }

    @Override
    public SweepReport sweepOnce() {
        Instant now = clock.instant();
        List<PendingTask> expired = recovery.reclaimExpired(now, limits.maxPerRun());
        int room = limits.maxPerRun() - expired.size();
        List<PendingTask> stranded = List.of();
        if (room > 0) {
            Instant quietSince = now.minus(limits.strandedAfter());
            long missing = shortfall.tasksMissing(now.minus(settling()));
            if (missing > 0) {
                stranded = recovery.takeStranded(quietSince, (int) Math.min(room, missing), now);
            }
        }
        if (expired.isEmpty() && stranded.isEmpty()) {
            return new SweepReport(0, 0, 0, 0);
        }
        SpanLookup spans = new SpanLookup();
        Bodies forExpired = bodies(expired, spans, now);
        Bodies forStranded = bodies(stranded, spans, now);
        List<String> all = new ArrayList<>(forExpired.bodies());
        all.addAll(forStranded.bodies());
        if (!all.isEmpty()) {
            queue.send(all);
        }
        return new SweepReport(expired.size(), stranded.size(), all.size(),
                forExpired.waiting() + forStranded.waiting(), forStranded.bodies().size(),
                forExpired.failed() + forStranded.failed());
    }

    /**
     * How long after a task was touched its message is surely in the queue's counters (SQS's lag by up
     * to a minute): tasks touched more recently are left out of the comparison, while their messages
     * count, so that a send the counters have not seen yet never looks like a loss.
     */
    private Duration settling() {
        return limits.strandedAfter().compareTo(COUNTER_LAG) < 0 ? limits.strandedAfter() : COUNTER_LAG;
    }

    private record Bodies(List<String> bodies, int waiting, int failed) {}

    private Bodies bodies(List<PendingTask> tasks, SpanLookup spans, Instant now) {
        List<String> bodies = new ArrayList<>(tasks.size());
        int waiting = 0;
        int failed = 0;
        for (PendingTask task : tasks) {
            Span span = task.span();
            if (span == null) {
                switch (spans.find(task)) {
                    case Found found -> span = found.span();
                    case Absent absent -> {
                        if (spanless != null && spanless.fail(task, now)) {
                            failed++;
                        } else {
                            waiting++;
                        }
                        continue;
                    }
                    case NoAnswer none -> {
                        waiting++;
                        continue;
                    }
                }
            }
            TaskRequest request =
                    new TaskRequest(task.key().jobId(), task.manifestationId(), task.key().segmentId(), span);
            // a task of an environment's graph goes as a one-segment batch naming it (and no destination:
            // its own batch announces it)
            bodies.add(task.environment() == null
                    ? TaskMessage.toSingleJson(request)
                    : TaskMessage.toBatchJson(List.of(request), null, null, task.environment(), null));
        }
        return new Bodies(bodies, waiting, failed);
    }

    /** What the graph says of a span-less task's segment. */
    private sealed interface Answer permits Found, Absent, NoAnswer {}

    private record Found(Span span) implements Answer {}

    /** The graph answered and has no such segment: a definite answer. */
    private record Absent() implements Answer {}

    /** No definite answer now: the graph is unavailable, or the task is of a graph the sweeper does not read. */
    private record NoAnswer() implements Answer {}

    /**
     * Spans of span-less tasks, read from the graph once per manifestation and sweep: also when the
     * graph is unavailable, so that a sweep waits for one failed read per manifestation, not one per
     * task.
     */
    private final class SpanLookup {

        private final Map<String, Optional<Map<String, Span>>> byManifestation = new HashMap<>();

        Answer find(PendingTask task) {
            if (task.environment() != null) {
                log.warn("Task {} of job {} has no span and is of environment {}, whose graph the sweeper does not"
                        + " read; it waits", task.key().segmentId(), task.key().jobId(), task.environment());
                return new NoAnswer();
            }
            Optional<Map<String, Span>> spans = byManifestation.computeIfAbsent(task.manifestationId(), this::load);
            if (spans.isEmpty()) {
                return new NoAnswer();
            }
            Span span = spans.get().get(task.key().segmentId());
            return span == null ? new Absent() : new Found(span);
        }

        private Optional<Map<String, Span>> load(String manifestation) {
            try {
                return Optional.of(GraphSpans.of(graph, manifestation));
            } catch (GraphUnavailableException e) {
                log.warn("Tasks of manifestation {} without a span wait for the graph to give them one ({});"
                        + " they are offered again in {} s", manifestation, e.getMessage(),
                        limits.strandedAfter().toSeconds());
                return Optional.empty();
            } catch (RuntimeException e) {
                // bad data, say: no definite answer, and the other tasks of the sweep still go
                log.warn("Reading the segments of manifestation {} failed; its tasks without a span wait", manifestation,
                        e);
                return Optional.empty();
            }
        }
    }
}
