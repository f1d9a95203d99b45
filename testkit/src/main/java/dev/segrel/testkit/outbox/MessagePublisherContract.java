package dev.segrel.testkit.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.port.out.MessagePublisher;
import dev.segrel.core.port.out.Outbox;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessagePublisher} must do: deliver an outbox message's body, unchanged, to its
 * destination before it returns, with its message id for consumers to deduplicate on; and refuse a
 * destination it has no address for. Extend it with a publisher for the {@code completed}
 * destination and a way to read what that destination received.
 */
public abstract class MessagePublisherContract {

    /** A message as the destination received it. */
    public record Delivered(String body, String messageId) {}

    /** A publisher whose {@code completed} destination is fresh and empty. */
    protected abstract MessagePublisher newPublisher();

    /** Everything the {@code completed} destination of the last {@link #newPublisher()} received. */
    protected abstract List<Delivered> delivered();

    @Test
    public void aPublishedMessageArrivesWithItsBodyAndMessageId() {
        MessagePublisher publisher = newPublisher();
        String body = "{\"job_id\":\"0b6f1c9e-2c41-4d6e-9a51-2b8f3f0b7d11\",\"manifestation_id\":\"M \\\"é中\\\"\"}";

        publisher.publish(new Outbox.Message(1, "job-completed:0b6f1c9e-2c41-4d6e-9a51-2b8f3f0b7d11", "completed", body, 0));

        assertThat(delivered()).containsExactly(
                new Delivered(body, "job-completed:0b6f1c9e-2c41-4d6e-9a51-2b8f3f0b7d11"));
    }

    @Test
    public void messagesArriveOncePerPublishInOrderOfPublishing() {
        MessagePublisher publisher = newPublisher();

        publisher.publish(new Outbox.Message(1, "m-1", "completed", "{\"n\":1}", 0));
        publisher.publish(new Outbox.Message(2, "m-2", "completed", "{\"n\":2}", 0));

        assertThat(delivered()).extracting(Delivered::messageId).containsExactlyInAnyOrder("m-1", "m-2");
    }

    @Test
    public void aDestinationWithoutAnAddressIsRefusedAndNothingIsSent() {
        MessagePublisher publisher = newPublisher();

        assertThatThrownBy(() -> publisher.publish(new Outbox.Message(1, "m", "nowhere", "{}", 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nowhere");
        assertThat(delivered()).isEmpty();
    }
}
