package dev.segrel.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.port.out.RejectedMessages;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RejectedMessages} must do: keep every refusal with its reason and body, however
 * large or strange the body. Extend it with the store under test and a way to read back what it
 * holds for one message id.
 */
public abstract class RejectedMessagesContract {

    /** One refusal as stored: the body may be cut, the rest is kept as given. */
    public record Recorded(String messageId, String body, String reason, Instant at) {}

    private static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");

    protected abstract RejectedMessages rejected();

    /** What is stored for {@code messageId}, oldest first. */
    protected abstract List<Recorded> recordedFor(String messageId);

    @Test
    public void aRefusalIsKeptWithItsReasonBodyAndTime() {
        String id = UUID.randomUUID().toString();

        rejected().record(id, "{\"job_id\":\"nope\"}", "poison message: job_id must be a UUID", AT);

        assertThat(recordedFor(id)).containsExactly(
                new Recorded(id, "{\"job_id\":\"nope\"}", "poison message: job_id must be a UUID", AT));
    }

    @Test
    public void everyRefusalOfOneMessageIsKept() {
        String id = UUID.randomUUID().toString();

        rejected().record(id, "body", "unknown task", AT);
        rejected().record(id, "body", "unknown task", AT.plusSeconds(60));

        assertThat(recordedFor(id)).extracting(Recorded::at).containsExactly(AT, AT.plusSeconds(60));
    }

    @Test
    public void aHugeBodyWithNulAndUnicodeIsKeptWithItsReasonWhole() {
        String id = UUID.randomUUID().toString();
        String body = "é中😀\0".repeat(50_000);

        rejected().record(id, body, "body is not JSON", AT);

        assertThat(recordedFor(id)).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("body is not JSON");
            assertThat(r.body()).isNotEmpty().startsWith("é中😀");
            assertThat(body.replace('\0', '\uFFFD')).startsWith(r.body().replace('\0', '\uFFFD'));
        });
    }
}
