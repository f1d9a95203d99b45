package dev.segrel.sqs;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.port.out.QueueUnavailableException;
import dev.segrel.core.port.out.TaskQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

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
