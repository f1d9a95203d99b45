package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.port.out.RejectedMessages;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** {@link RejectedMessages} on the {@code segrel_rejected_message} table. */
public final class PostgresRejectedMessages implements RejectedMessages {

    /** Bodies beyond this many characters are stored truncated; {@code body_length} keeps the real size. */
    static final int MAX_BODY_CHARS = 64 * 1024;

    private final Jdbi jdbi;

    public PostgresRejectedMessages(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    @Override
    public void record(String messageId, String body, String reason, Instant at) {
        requireNonNull(messageId, "messageId is null");
        requireNonNull(body, "body is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(at, "at is null");
        // PostgreSQL text cannot hold NUL; keep everything else byte for byte
        int cut = body.length() <= MAX_BODY_CHARS ? body.length()
                : Character.isHighSurrogate(body.charAt(MAX_BODY_CHARS - 1)) ? MAX_BODY_CHARS - 1 : MAX_BODY_CHARS;
        String stored = body.substring(0, cut).replace('\0', '\uFFFD');
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                    INSERT INTO segrel_rejected_message (message_id, reason, body, body_length, rejected_at)
                    VALUES (:messageId, :reason, :body, :length, :at)""")
                    .bind("messageId", messageId.replace('\0', '\uFFFD'))
                    .bind("reason", reason.replace('\0', '\uFFFD'))
                    .bind("body", stored)
                    .bind("length", body.length())
                    .bind("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                    .execute());
        } catch (JdbiException e) {
            throw Failures.translate(e, "recording a rejected message");
        }
    }
}
