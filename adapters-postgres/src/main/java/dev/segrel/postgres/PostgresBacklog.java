package dev.segrel.postgres;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.port.out.Backlog;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link Backlog} from {@code segment_task} and {@code segrel_outbox}: four aggregates in one
 * statement, each served by a partial index the sweeper and the relay already use (waiting tasks by
 * {@code updated_at}, unsent messages), so a poll costs an index scan of what waits, not of the
 * tables.
 */
final class PostgresBacklog implements Backlog {

    static final String SNAPSHOT = """
            SELECT (SELECT count(*) FROM segment_task WHERE status IN ('QUEUED', 'RETRYING')) AS waiting,
                   (SELECT min(updated_at)::timestamptz FROM segment_task
                    WHERE status IN ('QUEUED', 'RETRYING')) AS oldest_waiting,
                   (SELECT count(*) FROM segrel_outbox WHERE sent_at IS NULL) AS pending,
                   (SELECT min(created_at)::timestamptz FROM segrel_outbox WHERE sent_at IS NULL) AS oldest_pending""";

    private final Jdbi jdbi;

    PostgresBacklog(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    @Override
    public Snapshot snapshot() {
        try {
            return jdbi.withHandle(h -> h.createQuery(SNAPSHOT)
                    .map((rs, ctx) -> new Snapshot(rs.getLong("waiting"),
                            Optional.ofNullable(TaskTables.instant(rs, "oldest_waiting")),
                            rs.getLong("pending"),
                            Optional.ofNullable(TaskTables.instant(rs, "oldest_pending"))))
                    .one());
        } catch (JdbiException e) {
            throw Failures.translate(e, "counting the backlog");
        }
    }
}
