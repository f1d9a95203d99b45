package dev.segrel.core.domain;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A W3C trace context as it travels between processes: the {@code traceparent} header
 * ({@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}) and, when the producer set one,
 * {@code tracestate}. segrel carries it in the SQS message attributes of the same names and in the
 * outbox row of a completion message; it never interprets it beyond the ids.
 *
 * @param traceparent the {@code traceparent} value, as sent
 * @param tracestate the {@code tracestate} value, or null when there is none
 */
public record TraceContext(String traceparent, String tracestate) {

    /** The message attribute of the parent ({@code traceparent}). */
    public static final String TRACEPARENT = "traceparent";
    /** The message attribute of the vendors' state ({@code tracestate}). */
    public static final String TRACESTATE = "tracestate";

    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}.*");

    public TraceContext {
        requireNonNull(traceparent, "traceparent is null");
        if (!FORMAT.matcher(traceparent).matches()) {
            throw new IllegalArgumentException("traceparent is not a W3C trace context: " + traceparent);
        }
        if (tracestate != null && tracestate.isBlank()) {
            tracestate = null;
        }
    }

    /**
     * The context of these attribute values, or null when {@code traceparent} is absent or malformed
     * (a producer's bad header starts no trace rather than failing its message).
     */
    public static TraceContext parse(String traceparent, String tracestate) {
        if (traceparent == null || !FORMAT.matcher(traceparent).matches()) {
            return null;
        }
        return new TraceContext(traceparent, tracestate);
    }

    /** The trace id: 32 lowercase hex digits. */
    public String traceId() {
        return traceparent.substring(3, 35);
    }

    /** The id of the span this context names as parent: 16 lowercase hex digits. */
    public String spanId() {
        return traceparent.substring(36, 52);
    }
}
