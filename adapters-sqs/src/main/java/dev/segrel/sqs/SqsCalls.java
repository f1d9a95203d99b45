package dev.segrel.sqs;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.out.QueueUnavailableException;
import dev.segrel.core.port.out.TaskQueue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** What the SQS classes share: one way to call the SDK and say what failed, without secrets. */
final class SqsCalls {

    private SqsCalls() {}

    /** Runs an SDK call; a failure is a {@link QueueUnavailableException} naming what and where. */
    static <T> T call(String what, String url, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw unavailable(what, url, e);
        }
    }

    static QueueUnavailableException unavailable(String what, String url, SdkException e) {
        return new QueueUnavailableException(
                Secrets.redact("SQS could not " + what + " " + url + ": " + e.getMessage()), e);
    }

    /** The W3C trace context as string message attributes ({@code traceparent}, {@code tracestate}); none for null. */
    static Map<String, MessageAttributeValue> traceAttributes(TraceContext trace) {
        if (trace == null) {
            return Map.of();
        }
        Map<String, MessageAttributeValue> out = new LinkedHashMap<>();
        out.put(TraceContext.TRACEPARENT, string(trace.traceparent()));
        if (trace.tracestate() != null) {
            out.put(TraceContext.TRACESTATE, string(trace.tracestate()));
        }
        return out;
    }

    /** The trace context a received message carries, or null (none, or not a W3C one). */
    static TraceContext trace(Map<String, MessageAttributeValue> attributes) {
        MessageAttributeValue parent = attributes.get(TraceContext.TRACEPARENT);
        if (parent == null) {
            return null;
        }
        MessageAttributeValue state = attributes.get(TraceContext.TRACESTATE);
        return TraceContext.parse(parent.stringValue(), state == null ? null : state.stringValue());
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    /** {@code items} in batches of at most {@value TaskQueue#MAX_BATCH} (views, not copies). */
    static <T> List<List<T>> batches(List<T> items) {
        List<List<T>> out = new ArrayList<>();
        for (int from = 0; from < items.size(); from += TaskQueue.MAX_BATCH) {
            out.add(items.subList(from, Math.min(items.size(), from + TaskQueue.MAX_BATCH)));
        }
        return out;
    }

    /** An SQS attribute as a number; {@code fallback} when absent or unreadable. */
    static long parseLong(String text, long fallback) {
        try {
            return text == null ? fallback : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
