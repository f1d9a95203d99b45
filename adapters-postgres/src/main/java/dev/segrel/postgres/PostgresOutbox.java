package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.port.out.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Update;

/**
 * {@link Outbox} on the {@code segrel_outbox} table; {@link #take} uses {@code FOR UPDATE SKIP LOCKED} and
 * bumps each row's {@code lease_token}, which the fenced writes compare with the caller's.
 */
public final class PostgresOutbox implements Outbox {

    static final String TAKE = """
            UPDATE segrel_outbox o
            SET lease_owner = :owner, available_at = :until, lease_token = o.lease_token + 1
            WHERE o.id IN (
                SELECT id FROM segrel_outbox
                WHERE sent_at IS NULL AND available_at <= :now
                ORDER BY available_at, id
                LIMIT :limit
                FOR UPDATE SKIP LOCKED)
            RETURNING o.id, o.message_id, o.destination, o.body, o.attempts, o.trace_parent, o.trace_state,
                      o.lease_token""";

    /** The rows a caller still holds: taken with this token, by this owner. */
    private static final String HELD = "id = :id AND lease_owner = :owner AND lease_token = :token";

    static final String RENEW = "UPDATE segrel_outbox SET available_at = :until WHERE " + HELD + " AND sent_at IS NULL";

    /** The owner keeps the row, so a repeat after a lost reply finds it held (and changes nothing). */
    static final String MARK_SENT = "UPDATE segrel_outbox SET sent_at = coalesce(sent_at, :now) WHERE " + HELD;

    static final String MARK_FAILED = """
            UPDATE segrel_outbox
            SET attempts = attempts + 1, last_error = :error, lease_owner = NULL, available_at = :retryAt
            WHERE %s AND sent_at IS NULL""".formatted(HELD);

    static final String STUCK = "SELECT count(*) FROM segrel_outbox WHERE sent_at IS NULL AND attempts >= :limit";

    static final String STUCK_OF = STUCK + "\n" + """
             AND (%s OR %s)""".formatted(AnnouncementIds.firstOrLater("message_id", "'job-completed:' || :job", ":"),
                    AnnouncementIds.extending("message_id", "'batch-completed:' || :job", ":"));

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
                            TraceContext.parse(rs.getString("trace_parent"), rs.getString("trace_state")),
                            rs.getLong("lease_token")))
                    .list()
                    .stream()
                    .sorted(Comparator.comparingLong(Message::id))
                    .toList());
        } catch (JdbiException e) {
            throw Failures.translate(e, "taking outbox messages");
        }
    }

    @Override
    public Fenced renew(Message taken, String owner, Instant now, Duration leaseFor) {
        requireNonNull(leaseFor, "leaseFor is null");
        return fenced(RENEW, taken, owner, "renewing the lease of outbox message " + taken.id(),
                u -> u.bind("until", at(now.plus(leaseFor))));
    }

    @Override
    public Fenced markSent(Message taken, String owner, Instant now) {
        return fenced(MARK_SENT, taken, owner, "marking outbox message " + taken.id() + " sent",
                u -> u.bind("now", at(now)));
    }

    @Override
    public Fenced markFailed(Message taken, String owner, String error, Instant now, Instant retryAt) {
        requireNonNull(now, "now is null");
        return fenced(MARK_FAILED, taken, owner, "marking outbox message " + taken.id() + " failed",
                u -> u.bind("error", error == null ? "unknown error" : error).bind("retryAt", at(retryAt)));
    }

    @Override
    public long stuck() {
        try {
            return jdbi.withHandle(h -> h.createQuery(STUCK).bind("limit", STUCK_AFTER_ATTEMPTS).mapTo(Long.class).one());
        } catch (JdbiException e) {
            throw Failures.translate(e, "counting stuck outbox messages");
        }
    }

    @Override
    public long stuckOf(JobId job) {
        requireNonNull(job, "job is null");
        try {
            return jdbi.withHandle(h -> h.createQuery(STUCK_OF).bind("limit", STUCK_AFTER_ATTEMPTS)
                    .bind("job", job.toString()).mapTo(Long.class).one());
        } catch (JdbiException e) {
            throw Failures.translate(e, "counting stuck outbox messages of job " + job);
        }
    }

    private Fenced fenced(String sql, Message taken, String owner, String doing,
            Consumer<Update> bind) {
        requireNonNull(taken, "taken is null");
        requireNonNull(owner, "owner is null");
        try {
            int rows = jdbi.withHandle(h -> {
                var update = h.createUpdate(sql)
                        .bind("id", taken.id())
                        .bind("owner", owner)
                        .bind("token", taken.leaseToken());
                bind.accept(update);
                return update.execute();
            });
            return rows == 1 ? new Held() : new LeaseLost();
        } catch (JdbiException e) {
            throw Failures.translate(e, doing);
        }
    }

    static OffsetDateTime at(Instant instant) {
        return requireNonNull(instant, "instant is null").atOffset(ZoneOffset.UTC);
    }
}
