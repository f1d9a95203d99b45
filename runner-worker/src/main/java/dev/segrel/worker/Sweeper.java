package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.domain.Span;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.GraphUnavailableException;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskStore;
import dev.segrel.core.port.out.TaskStore.PendingTask;
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

/**
 * Re-dispatches tasks that no live message will bring to a worker: IN_PROGRESS tasks whose lease
 * expired (their worker died) and QUEUED/RETRYING tasks untouched for {@code strandedAfter} (their
 * message was purged or never sent). Safe with many workers sweeping at once: the store hands each
 * task to one sweeper, and a duplicate message is a no-op for the worker that gets it.
 *
 * <p>A task a legacy producer created without a span gets its span from the message, so one whose
 * message was lost has none: the sweeper reads the segment's span from the graph (the manifestation's
 * segmentation, then its pagination) so that the message it sends can be processed. A task whose
 * segment the graph does not have is not sent (a message without a span would only be rejected);
 * it is logged and offered again after {@code strandedAfter}.
 */
final class Sweeper {

    static final int BATCH = 500;

    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

    private final TaskStore store;
    private final TaskQueue queue;
    private final AlignmentGraph graph;
    private final Clock clock;
    private final Duration strandedAfter;

    Sweeper(TaskStore store, TaskQueue queue, AlignmentGraph graph, Clock clock, Duration strandedAfter) {
        this.store = requireNonNull(store, "store is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.graph = requireNonNull(graph, "graph is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.strandedAfter = requireNonNull(strandedAfter, "strandedAfter is null");
    }

    /** One sweep; returns how many task messages it sent. */
    int sweepOnce() {
        Instant now = clock.instant();
        List<PendingTask> pending = new ArrayList<>(store.reclaimExpired(now, BATCH));
        pending.addAll(store.takeStranded(now.minus(strandedAfter), BATCH, now));
        if (pending.isEmpty()) {
            return 0;
        }
        SpanLookup spans = new SpanLookup();
        List<String> bodies = new ArrayList<>(pending.size());
        for (PendingTask task : pending) {
            Span span = task.span() != null ? task.span() : spans.find(task);
            if (span == null) {
                continue;
            }
            bodies.add(TaskMessage.toSingleJson(
                    new TaskRequest(task.key().jobId(), task.manifestationId(), task.key().segmentId(), span)));
        }
        if (!bodies.isEmpty()) {
            queue.send(bodies);
        }
        return bodies.size();
    }

    /**
     * Spans of span-less tasks, read from the graph once per manifestation and sweep: also when the
     * graph is unavailable, so that a sweep waits for one failed read per manifestation, not one per
     * task.
     */
    private final class SpanLookup {

        private final Map<String, Optional<Map<String, Span>>> byManifestation = new HashMap<>();

        Span find(PendingTask task) {
            String manifestation = task.manifestationId();
            String segment = task.key().segmentId();
            Optional<Map<String, Span>> spans = byManifestation.computeIfAbsent(manifestation, this::load);
            if (spans.isEmpty()) {
                return null;
            }
            Span span = spans.get().get(segment);
            if (span == null) {
                log.warn("Task {} of job {} has no span and manifestation {} has no segment {};"
                        + " it is offered again in {} s", segment, task.key().jobId(), manifestation, segment,
                        strandedAfter.toSeconds());
            }
            return span;
        }

        private Optional<Map<String, Span>> load(String manifestation) {
            Map<String, Span> spans = new HashMap<>();
            try {
                for (SegmentSource source : List.of(SegmentSource.PAGINATION, SegmentSource.SEGMENTATION)) {
                    for (Segment s : graph.segmentsOf(manifestation, source)) {
                        spans.put(s.id(), s.span()); // segmentation wins where both name one id
                    }
                }
            } catch (GraphUnavailableException e) {
                log.warn("Tasks of manifestation {} without a span wait for the graph to give them one ({});"
                        + " they are offered again in {} s", manifestation, e.getMessage(), strandedAfter.toSeconds());
                return Optional.empty();
            }
            return Optional.of(spans);
        }
    }
}
