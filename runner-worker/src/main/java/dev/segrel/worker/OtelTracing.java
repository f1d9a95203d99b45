package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.out.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;

/**
 * {@link Tracing} on the OpenTelemetry API: each span is an OpenTelemetry span, current in the
 * OpenTelemetry {@link Context} of its thread while open, and its ids are in the MDC as
 * {@value #TRACE_ID} and {@value #SPAN_ID} (so every log line written inside it carries them).
 * Contexts travel in the W3C format whatever {@code OTEL_PROPAGATORS} says: they are the
 * {@code traceparent} and {@code tracestate} message attributes, not HTTP headers.
 *
 * <p>Closing shuts the SDK down (through the given hook), which exports what is still buffered.
 */
final class OtelTracing implements Tracing, AutoCloseable {

    /** MDC key of the trace id. */
    static final String TRACE_ID = "trace_id";
    /** MDC key of the span id. */
    static final String SPAN_ID = "span_id";

    private static final String INSTRUMENTATION = "dev.segrel";
    private static final ContextKey<Recording> RECORDING = ContextKey.named("segrel-span");
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<TraceContext> FROM_CONTEXT = new TextMapGetter<>() {
        @Override
        public String get(TraceContext carrier, String key) {
            if (carrier == null) {
                return null;
            }
            return switch (key) {
                case TraceContext.TRACEPARENT -> carrier.traceparent();
                case TraceContext.TRACESTATE -> carrier.tracestate();
                default -> null;
            };
        }
    };

    private final Tracer tracer;
    private final Runnable shutdown;
    private boolean closed;

    /**
     * @param openTelemetry where spans go
     * @param shutdown flushes and stops {@code openTelemetry}'s SDK, on {@link #close}
     */
    OtelTracing(OpenTelemetry openTelemetry, Runnable shutdown) {
        this.tracer = requireNonNull(openTelemetry, "openTelemetry is null").getTracer(INSTRUMENTATION);
        this.shutdown = requireNonNull(shutdown, "shutdown is null");
    }

    @Override
    public TraceSpan start(String name, TraceContext parent, List<TraceContext> links) {
        requireNonNull(name, "name is null");
        Context base = parent == null ? Context.current() : W3C.extract(Context.root(), parent, FROM_CONTEXT);
        SpanBuilder builder = tracer.spanBuilder(name).setParent(base);
        for (TraceContext link : links) {
            SpanContext linked = Span.fromContext(W3C.extract(Context.root(), link, FROM_CONTEXT)).getSpanContext();
            if (linked.isValid()) {
                builder.addLink(linked);
            }
        }
        Span span = builder.startSpan();
        return new Recording(span, base);
    }

    @Override
    public TraceSpan current() {
        Recording recording = Context.current().get(RECORDING);
        return recording == null ? Tracing.noop().current() : recording;
    }

    @Override
    public synchronized void shutdown() {
        if (!closed) {
            closed = true;
            shutdown.run();
        }
    }

    @Override
    public void close() {
        shutdown();
    }

    /** An open span: current on its thread, its ids in the MDC, until closed. */
    private static final class Recording implements TraceSpan {

        private final Span span;
        private final Scope scope;
        private final String previousTraceId;
        private final String previousSpanId;
        private Map<String, long[]> counts;
        private boolean ended;

        Recording(Span span, Context base) {
            this.span = span;
            this.scope = base.with(span).with(RECORDING, this).makeCurrent();
            this.previousTraceId = MDC.get(TRACE_ID);
            this.previousSpanId = MDC.get(SPAN_ID);
            SpanContext context = span.getSpanContext();
            if (context.isValid()) {
                MDC.put(TRACE_ID, context.getTraceId());
                MDC.put(SPAN_ID, context.getSpanId());
            }
        }

        @Override
        public TraceSpan attribute(String key, String value) {
            if (value != null) {
                span.setAttribute(key, value);
            }
            return this;
        }

        @Override
        public TraceSpan attribute(String key, long value) {
            span.setAttribute(key, value);
            return this;
        }

        @Override
        public TraceSpan add(String key, long delta) {
            if (counts == null) {
                counts = new LinkedHashMap<>();
            }
            counts.computeIfAbsent(key, k -> new long[1])[0] += delta;
            return this;
        }

        @Override
        public TraceSpan error(String reason) {
            span.setStatus(StatusCode.ERROR, reason);
            return this;
        }

        @Override
        public TraceContext context() {
            Map<String, String> carrier = new HashMap<>(2);
            W3C.inject(Context.root().with(span), carrier, Map::put);
            return TraceContext.parse(carrier.get(TraceContext.TRACEPARENT), carrier.get(TraceContext.TRACESTATE));
        }

        @Override
        public void close() {
            if (ended) {
                return;
            }
            ended = true;
            if (counts != null) {
                counts.forEach((key, count) -> span.setAttribute(key, count[0]));
            }
            scope.close();
            span.end();
            restore(TRACE_ID, previousTraceId);
            restore(SPAN_ID, previousSpanId);
        }

        private static void restore(String key, String value) {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }
    }
}
