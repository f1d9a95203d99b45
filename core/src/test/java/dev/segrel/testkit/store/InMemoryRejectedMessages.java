package dev.segrel.testkit.store;

import dev.segrel.core.port.out.RejectedMessages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link RejectedMessages} in a list, for tests. Thread-safe. */
public final class InMemoryRejectedMessages implements RejectedMessages {

    /** One recorded rejection. */
    public record Rejection(String messageId, String body, String reason, Instant at) {}

    private final List<Rejection> rejections = new ArrayList<>();

    @Override
    public synchronized void record(String messageId, String body, String reason, Instant at) {
        rejections.add(new Rejection(messageId, body, reason, at));
    }

    public synchronized List<Rejection> all() {
        return List.copyOf(rejections);
    }
}
