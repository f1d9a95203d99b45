package dev.segrel.testkit.trace;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.out.Tracing;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Tracing} that keeps every closed span in memory with its parent, links and attributes, for
 * tests of code that traces without an OpenTelemetry SDK (core, the adapters). Ids are sequential; a
 * span without a parent starts a new trace. Thread-safe; spans are current per thread.
 */
public final class RecordingTracing implements Tracing {

    /** A closed span. {@code parentSpanId} is null for a root. */
    public record Recorded(String name, String traceId, String spanId, String parentSpanId, List<TraceContext> links,
            Map<String, Object> attributes, String error) {}

    private final AtomicLong ids = new AtomicLong();
    private final List<Recorded> finished = new ArrayList<>();
    private final ThreadLocal<Deque<Open>> current = ThreadLocal.withInitial(ArrayDeque::new);

    /** Every closed span, in the order they closed. */
    public synchronized List<Recorded> finished() {
        return List.copyOf(finished);
    }

    /** The closed spans named {@code name}. */
    public List<Recorded> named(String name) {
        return finished().stream().filter(s -> s.name().equals(name)).toList();
    }

    @Override
    public TraceSpan start(String name, TraceContext parent, List<TraceContext> links) {
        requireNonNull(name, "name is null");
        Deque<Open> stack = current.get();
        String traceId;
        String parentId;
        if (parent != null) {
            traceId = parent.traceId();
            parentId = parent.spanId();
        } else if (!stack.isEmpty()) {
            traceId = stack.peek().traceId;
            parentId = stack.peek().spanId;
        } else {
            traceId = hex(ids.incrementAndGet(), 16);
            parentId = null;
        }
        Open span = new Open(name, traceId, hex(ids.incrementAndGet(), 8), parentId, List.copyOf(links));
        stack.push(span);
        return span;
    }

    @Override
    public TraceSpan current() {
        Deque<Open> stack = current.get();
        return stack.isEmpty() ? Tracing.noop().current() : stack.peek();
    }

    private static String hex(long value, int bytes) {
        byte[] out = new byte[bytes];
        for (int i = 0; i < 8 && i < bytes; i++) {
            out[bytes - 1 - i] = (byte) (value >>> (8 * i));
        }
        return HexFormat.of().formatHex(out);
    }

    private synchronized void record(Recorded span) {
        finished.add(span);
    }

    private final class Open implements TraceSpan {
        final String name;
        final String traceId;
        final String spanId;
        final String parentId;
        final List<TraceContext> links;
        final Map<String, Object> attributes = new LinkedHashMap<>();
        String error;
        boolean closed;

        Open(String name, String traceId, String spanId, String parentId, List<TraceContext> links) {
            this.name = name;
            this.traceId = traceId;
            this.spanId = spanId;
            this.parentId = parentId;
            this.links = links;
        }

        @Override
        public TraceSpan attribute(String key, String value) {
            attributes.put(key, value);
            return this;
        }

        @Override
        public TraceSpan attribute(String key, long value) {
            attributes.put(key, value);
            return this;
        }

        @Override
        public TraceSpan add(String key, long delta) {
            attributes.merge(key, delta, (a, b) -> (Long) a + (Long) b);
            return this;
        }

        @Override
        public TraceSpan error(String reason) {
            error = reason;
            return this;
        }

        @Override
        public TraceContext context() {
            return new TraceContext("00-" + traceId + "-" + spanId + "-01", null);
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            current.get().remove(this);
            record(new Recorded(name, traceId, spanId, parentId, links, Map.copyOf(attributes), error));
        }
    }
}
