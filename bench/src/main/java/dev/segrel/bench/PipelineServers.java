package dev.segrel.bench;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.JobId;
import dev.segrel.devstack.postgres.EmbeddedPostgres;
import dev.segrel.devstack.sqs.EmbeddedSqs;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.postgres.Postgres;
import dev.segrel.postgres.PostgresConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The servers every pipeline row shares: an embedded SQS (ElasticMQ) and an embedded PostgreSQL with
 * segrel's production migrations applied (an empty database: the {@code root_job} / {@code segment_task}
 * layout). The ceilings and the workers all run against these same two servers.
 */
final class PipelineServers implements AutoCloseable {

    private final EmbeddedSqs sqs;
    private final EmbeddedPostgres pg;
    private final Postgres postgres;
    private int queues;

    private PipelineServers(EmbeddedSqs sqs, EmbeddedPostgres pg, Postgres postgres) {
        this.sqs = sqs;
        this.pg = pg;
        this.postgres = postgres;
    }

    /** Starts both servers and migrates the schema; the bench's pool holds a connection per thread and some. */
    static PipelineServers start(int workers) {
        EmbeddedSqs sqs = EmbeddedSqs.start(0);
        EmbeddedPostgres pg = null;
        try {
            pg = EmbeddedPostgres.start(0);
            Postgres postgres = Postgres.connect(PostgresConfig.ofUrl(pg.jdbcUrl()).withPoolSize(workers + 4),
                    "segrel-bench");
            postgres.migrator().migrate();
            return new PipelineServers(sqs, pg, postgres);
        } catch (RuntimeException e) {
            if (pg != null) {
                pg.close();
            }
            sqs.close();
            throw e;
        }
    }

    EmbeddedSqs sqs() {
        return sqs;
    }

    String jdbcUrl() {
        return pg.jdbcUrl();
    }

    Postgres postgres() {
        return postgres;
    }

    /** A fresh queue trio (tasks, dead letters, completions). */
    QueueUrls queues(String name) {
        return sqs.createQueues("segrel-bench-" + name + "-" + (++queues));
    }

    /**
     * A job as the deployed producer makes it for batch messages: one QUEUED {@code root_job} row with its
     * {@code total_segments}, and no task rows (the worker makes them as the batches arrive).
     */
    void createDeployedJob(JobId job, String manifestation, int totalSegments) {
        requireNonNull(job, "job is null");
        try (Connection c = postgres.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO root_job (job_id, manifestation_id, total_segments,"
                        + " completed_segments, status, created_at, updated_at) VALUES (?, ?, ?, 0, 'QUEUED', now(), now())")) {
            s.setObject(1, job.value());
            s.setString(2, manifestation);
            s.setInt(3, totalSegments);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the job row: " + e.getMessage(), e);
        }
    }

    /** The stored {@code result_json} (as text) of the job's tasks among {@code segmentIds}, by segment id. */
    Map<String, String> results(JobId job, List<String> segmentIds) {
        Map<String, String> out = new HashMap<>();
        try (Connection c = postgres.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT segment_id, result_json::text FROM segment_task"
                        + " WHERE job_id = ? AND segment_id = ANY(?) AND status = 'COMPLETED'")) {
            s.setObject(1, job.value());
            s.setArray(2, c.createArrayOf("text", segmentIds.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the results: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } finally {
            try {
                pg.close();
            } finally {
                sqs.close();
            }
        }
    }
}
