package dev.segrel.core.usecase;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.SegmentSource;
import dev.segrel.core.domain.Span;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.in.SweepStranded;
import dev.segrel.core.port.out.AlignmentGraph;
import dev.segrel.core.port.out.GraphUnavailableException;
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

    /** Tasks of each kind taken per sweep. */
    static final int BATCH = 500;

    private static final Logger log = LoggerFactory.getLogger(SweepStrandedService.class);

    private final TaskRecovery recovery;
    private final TaskQueue queue;
    private final AlignmentGraph graph;
    private final Clock clock;
    private final Duration strandedAfter;

    SweepStrandedService(TaskRecovery recovery, TaskQueue queue, AlignmentGraph graph, Clock clock,
            Duration strandedAfter) {
        this.recovery = requireNonNull(recovery, "recovery is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.graph = requireNonNull(graph, "graph is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.strandedAfter = requireNonNull(strandedAfter, "strandedAfter is null");
    }

    @Override
    public SweepReport sweepOnce() {
        Instant now = clock.instant();
        List<PendingTask> expired = recovery.reclaimExpired(now, BATCH);
        List<PendingTask> stranded = recovery.takeStranded(now.minus(strandedAfter), BATCH, now);
        if (expired.isEmpty() && stranded.isEmpty()) {
            return new SweepReport(0, 0, 0, 0);
        }
        SpanLookup spans = new SpanLookup();
        List<String> bodies = new ArrayList<>(expired.size() + stranded.size());
        int withoutSpan = 0;
        for (List<PendingTask> kind : List.of(expired, stranded)) {
            for (PendingTask task : kind) {
                Span span = task.span() != null ? task.span() : spans.find(task);
                if (span == null) {
                    withoutSpan++;
                    continue;
                }
                TaskRequest request =
                        new TaskRequest(task.key().jobId(), task.manifestationId(), task.key().segmentId(), span);
                // a task of an environment's graph goes as a one-segment batch naming it (and no destination:
                // its own batch announces it)
                bodies.add(task.environment() == null
                        ? TaskMessage.toSingleJson(request)
                        : TaskMessage.toBatchJson(List.of(request), null, null, task.environment(), null));
            }
        }
        if (!bodies.isEmpty()) {
            queue.send(bodies);
        }
        return new SweepReport(expired.size(), stranded.size(), bodies.size(), withoutSpan);
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
