package dev.segrel.core.usecase;

import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.in.ProcessTask.Command;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskClaims.ClaimResult;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.core.port.out.TaskCompletions.EndResult;
import dev.segrel.core.port.out.TaskCompletions.Ending;
import dev.segrel.core.port.out.Tracing;
import dev.segrel.core.port.out.Tracing.TraceSpan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spans of a processed set, for {@link ProcessTaskService}: one {@code process} span per part, a
 * child of its first message's context and linked to the others' (the single-segment messages of one
 * receive may come from several producers, yet stay one claim and one transaction), and the contexts
 * the outbox rows of the set keep.
 */
final class SetTrace {

    /** Links a set's span keeps at most (OpenTelemetry's default limit). */
    static final int MAX_LINKS = 128;

    private SetTrace() {}

    /** The part's {@code process} span, current until closed; {@code job} is the part's one job, or null. */
    static TraceSpan process(Tracing tracing, List<Command> part, String job) {
        List<TraceContext> traces = distinctTraces(part);
        TraceSpan span = tracing.start("process", traces.isEmpty() ? null : traces.get(0),
                traces.size() < 2 ? List.of() : traces.subList(1, Math.min(traces.size(), MAX_LINKS + 1)));
        span.attribute("segrel.tasks", part.size());
        if (job != null) {
            span.attribute("segrel.job_id", job);
        }
        return span;
    }

    /**
     * Each ending's outbox row continues the {@code store} span when its message is of the set's trace,
     * else its own message's trace ({@code traces}, by ending). Nothing when the store span is not
     * recorded (tracing off).
     */
    static void continueIn(List<Ending> endings, List<TraceContext> traces, TraceContext set, TraceContext store) {
        if (store == null) {
            return;
        }
        for (int i = 0; i < endings.size(); i++) {
            TraceContext own = traces.get(i);
            boolean ofTheSet = own == null || set == null || own.traceId().equals(set.traceId());
            endings.set(i, endings.get(i).withTrace(ofTheSet ? store : own));
        }
    }

    static long claimed(List<ClaimResult> claims) {
        return claims.stream().filter(c -> c instanceof TaskClaims.Claimed).count();
    }

    static long completed(List<EndResult> ended) {
        return ended.stream().filter(r -> r instanceof TaskCompletions.Completed).count();
    }

    /** How many endings finished their job. */
    static long jobsFinished(List<EndResult> ended) {
        return ended.stream().filter(r -> r instanceof TaskCompletions.Completed c && c.jobFinished()
                || r instanceof TaskCompletions.FailedForGood f && f.jobFinished()).count();
    }

    /** The tasks' distinct trace contexts, in order. */
    private static List<TraceContext> distinctTraces(List<Command> part) {
        Map<String, TraceContext> byParent = new LinkedHashMap<>();
        for (Command c : part) {
            if (c.trace() != null) {
                byParent.putIfAbsent(c.trace().traceparent(), c.trace());
            }
        }
        return List.copyOf(byParent.values());
    }
}
