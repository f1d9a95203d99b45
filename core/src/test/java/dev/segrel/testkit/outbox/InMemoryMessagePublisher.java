package dev.segrel.testkit.outbox;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.port.out.MessagePublisher;
import dev.segrel.core.port.out.Outbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@link MessagePublisher} that keeps what it publishes, per destination, in memory. Trusted
 * because it passes testkit's {@code MessagePublisherContract}. Thread-safe.
 */
public final class InMemoryMessagePublisher implements MessagePublisher {

    private final Set<String> destinations;
    private final List<Outbox.Message> published = new ArrayList<>();

    /** A publisher with an address for each of {@code destinations}. */
    public InMemoryMessagePublisher(Set<String> destinations) {
        this.destinations = Set.copyOf(requireNonNull(destinations, "destinations is null"));
    }

    /** A publisher for the {@code completed} destination. */
    public static InMemoryMessagePublisher completed() {
        return new InMemoryMessagePublisher(Set.of("completed"));
    }

    @Override
    public synchronized void publish(Outbox.Message message) {
        requireNonNull(message, "message is null");
        if (!destinations.contains(message.destination())) {
            throw new IllegalStateException("no queue for destination '" + message.destination() + "'");
        }
        published.add(message);
    }

    /** Everything published, in order. */
    public synchronized List<Outbox.Message> published() {
        return List.copyOf(published);
    }
}
