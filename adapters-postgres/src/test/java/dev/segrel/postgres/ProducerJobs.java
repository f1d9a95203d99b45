package dev.segrel.postgres;

import dev.segrel.core.domain.Batch;
import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.NewTask;
import dev.segrel.core.domain.Span;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.testkit.postgres.TestingPostgres;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/** Jobs as the deployed producer makes them (a job row, no task rows) and their batches, for the race tests. */
final class ProducerJobs {

    private ProducerJobs() {}

    /** A job of {@code batches × size} segments with no task rows: made through the store, then emptied. */
    static JobId jobWithoutTasks(Postgres postgres, TestingPostgres.Schema schema, int total, Instant now) {
        JobId job = JobId.random();
        postgres.jobs().createJob(new NewJob(job, "TEXT", List.of(new NewTask("seed", Span.of(0, 1)))), now);
        schema.execute("DELETE FROM segment_task WHERE job_id = '" + job + "'");
        schema.execute("UPDATE root_job SET total_segments = " + total + " WHERE job_id = '" + job + "'");
        return job;
    }

    /** {@code count} batches of {@code size} segments {@code s0, s1, …}, numbered from 1, announced DEV to PROD. */
    static List<Batch> batches(JobId job, int count, int size) {
        int total = count * size;
        return IntStream.range(0, count)
                .mapToObj(b -> new Batch(job, "TEXT", b + 1, total,
                        IntStream.range(0, size).mapToObj(i -> "s" + (b * size + i)).toList(), "DEV", "PROD"))
                .toList();
    }
}
