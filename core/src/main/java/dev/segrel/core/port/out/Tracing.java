package dev.segrel.core.port.out;

import dev.segrel.core.domain.TraceContext;
import java.util.List;

/**
 * Where segrel's spans go (OpenTelemetry in the runners). Core names the spans and their attributes;
 * the implementation decides whether they are recorded and exported. {@link #noop()} records
 * nothing and allocates nothing per span: it is what runs when tracing is off.
 *
 * <p><b>Threads.</b> Safe for concurrent use. A started span is <i>current</i> on the thread that
 * started it until it is closed, and must be closed on that thread (try-with-resources): spans
 * started meanwhile without a parent become its children, and log lines written meanwhile carry its
 * ids ({@code trace_id}, {@code span_id}).
 *
 * <p><b>Errors.</b> Never throws for a malformed context or a failing exporter: tracing must not
 * fail a task.
 */
public interface Tracing {

    /**
     * Starts a span and makes it current on this thread.
     *
     * @param name the span's name (e.g. {@code claim})
     * @param parent the remote parent (from a message or an outbox row); null for a child of the span
     *     current on this thread, or a new trace when there is none
     * @param links other contexts this span continues (the other messages of a set); may be empty
     */
    TraceSpan start(String name, TraceContext parent, List<TraceContext> links);

    /** As {@link #start(String, TraceContext, List)}, a child of the current span (or a new trace). */
    default TraceSpan start(String name) {
        return start(name, null, List.of());
    }

    /** The span current on this thread; a no-op span when there is none (its calls do nothing). */
    TraceSpan current();

    /** Writes out what was recorded and stops; idempotent. Blocks up to a few seconds for the exporter. */
    default void shutdown() {}

    /** A span being recorded. Attributes set after {@link #close} are ignored. */
    interface TraceSpan extends AutoCloseable {

        TraceSpan attribute(String key, String value);

        TraceSpan attribute(String key, long value);

        /** Adds {@code delta} to a counting attribute, set once when the span closes (e.g. cache hits). */
        TraceSpan add(String key, long delta);

        /** Marks the span failed, with a one-line reason (no secrets). */
        TraceSpan error(String reason);

        /** This span's context to carry on (a message attribute, an outbox row); null when not recorded. */
        TraceContext context();

        /** Ends the span and makes the previous one current again. */
        @Override
        void close();
    }

    /** Records nothing: every call returns at once. */
    static Tracing noop() {
        return Noop.TRACING;
    }

    /** The no-op implementation. */
    enum Noop implements Tracing, TraceSpan {
        TRACING;

        @Override
        public TraceSpan start(String name, TraceContext parent, List<TraceContext> links) {
            return this;
        }

        @Override
        public TraceSpan current() {
            return this;
        }

        @Override
        public TraceSpan attribute(String key, String value) {
            return this;
        }

        @Override
        public TraceSpan attribute(String key, long value) {
            return this;
        }

        @Override
        public TraceSpan add(String key, long delta) {
            return this;
        }

        @Override
        public TraceSpan error(String reason) {
            return this;
        }

        @Override
        public TraceContext context() {
            return null;
        }

        @Override
        public void close() {}
    }
}
