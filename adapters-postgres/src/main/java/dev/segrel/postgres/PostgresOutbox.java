package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.out.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** {@link Outbox} on the {@code segrel_outbox} table; {@link #take} uses {@code FOR UPDATE SKIP LOCKED}. */
public final class PostgresOutbox implements Outbox {

    static final String TAKE = """
            UPDATE segrel_outbox o
            SET lease_owner = :owner, available_at = :until
            WHERE o.id IN (
                SELECT id FROM segrel_outbox
                WHERE sent_at IS NULL AND available_at <= :now
                ORDER BY available_at, id
                LIMIT :limit
                FOR UPDATE SKIP LOCKED)
            RETURNING o.id, o.message_id, o.destination, o.body, o.attempts, o.trace_parent, o.trace_state""";

    private final Jdbi jdbi;

    public PostgresOutbox(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    @Override
    public List<Message> take(int limit, String owner, Instant now, Duration leaseFor) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        requireNonNull(owner, "owner is null");
        try {
            return jdbi.withHandle(h -> h.createQuery(TAKE)
                    .bind("owner", owner)
                    .bind("until", at(now.plus(leaseFor)))
                    .bind("now", at(now))
                    .bind("limit", limit)
                    .map((rs, ctx) -> new Message(
                            rs.getLong("id"),
                            rs.getString("message_id"),
                            rs.getString("destination"),
                            rs.getString("body"),
                            rs.getInt("attempts"),
                            TraceContext.parse(rs.getString("trace_parent"), rs.getString("trace_state"))))
                    .list()
                    .stream()
                    .sorted(Comparator.comparingLong(Message::id))
                    .toList());
        } catch (JdbiException e) {
            throw Failures.translate(e, "taking outbox messages");
        }
    }

    @Override
    public void markSent(long id, Instant now) {
        update("UPDATE segrel_outbox SET sent_at = :now, lease_owner = NULL WHERE id = :id AND sent_at IS NULL",
                id, now, null, "marking outbox message " + id + " sent");
    }

    @Override
    public void markFailed(long id, String error, Instant now) {
        update("""
                UPDATE segrel_outbox SET attempts = attempts + 1, last_error = :error, lease_owner = NULL
                WHERE id = :id AND sent_at IS NULL""", id, now, error, "marking outbox message " + id + " failed");
    }

    private void update(String sql, long id, Instant now, String error, String doing) {
        requireNonNull(now, "now is null");
        try {
            jdbi.useHandle(h -> {
                var update = h.createUpdate(sql).bind("id", id);
                if (sql.contains(":now")) {
                    update.bind("now", at(now));
                }
                if (sql.contains(":error")) {
                    update.bind("error", error == null ? "unknown error" : error);
                }
                update.execute();
            });
        } catch (JdbiException e) {
            throw Failures.translate(e, doing);
        }
    }

    static OffsetDateTime at(Instant instant) {
        return requireNonNull(instant, "instant is null").atOffset(ZoneOffset.UTC);
    }
}
