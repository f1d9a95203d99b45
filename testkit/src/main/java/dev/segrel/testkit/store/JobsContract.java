package dev.segrel.testkit.store;

import static dev.segrel.testkit.store.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.JobQuery;
import dev.segrel.core.domain.JobState;
import dev.segrel.core.domain.JobStatus;
import dev.segrel.core.port.out.Jobs.JobAlreadyExists;
import dev.segrel.core.port.out.Jobs.JobCreated;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.port.out.Jobs;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Jobs} must do: create a job with its tasks once, and read it back.
 * Extend it with a class that supplies the store's ports over one state ({@link #stores()});
 * each test makes its own jobs, so one store may serve all tests.
 */
public abstract class JobsContract extends TaskStoreContractSupport {

    @Test
    public void createJobStoresTheJobAndItsQueuedTasks() {
        NewJob job = aJob().withManifestation("M7").withTasks(3).build();

        assertThat(jobs().createJob(job, T0)).isEqualTo(new JobCreated(job.jobId(), 3));

        JobStatus status = jobs().jobStatus(job.jobId()).orElseThrow();
        assertThat(status.manifestationId()).isEqualTo("M7");
        assertThat(status.state()).isEqualTo(JobState.QUEUED);
        assertThat(status.totalSegments()).isEqualTo(3);
        assertThat(status.completedSegments()).isZero();
        assertThat(status.failedSegments()).isZero();
        assertThat(status.queued()).isEqualTo(3);
    }

    @Test
    public void createJobIsIdempotentOnTheJobId() {
        NewJob job = aJob().withTasks(2).build();
        jobs().createJob(job, T0);

        var again = jobs().createJob(aJob().withId(job.jobId()).withTasks(5).build(), T0.plusSeconds(1));

        assertThat(again).isEqualTo(new JobAlreadyExists(job.jobId(), 2));
        assertThat(jobs().jobStatus(job.jobId()).orElseThrow().totalSegments()).isEqualTo(2);
    }

    @Test
    public void aJobWithoutTasksIsCompletedAtOnceAndAnnounced() {
        NewJob job = aJob().withTasks(0).build();

        jobs().createJob(job, T0);

        assertThat(jobs().jobStatus(job.jobId()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(completionMessages(job.jobId())).hasSize(1);
    }

    @Test
    public void theStatusOfAnUnknownJobIsEmpty() {
        assertThat(jobs().jobStatus(JobId.random())).isEmpty();
    }

    @Test
    public void listJobsFiltersByStateAndManifestationNewestFirst() {
        String manifestation = "list-" + UUID.randomUUID();
        NewJob older = aJob().withManifestation(manifestation).withTasks(1).build();
        NewJob newer = aJob().withManifestation(manifestation).withTasks(2).build();
        jobs().createJob(older, T0);
        jobs().createJob(newer, T0.plusSeconds(5));
        completions().complete(assertClaimed(claims().claim(key(older, 0), null, "w", T0, LEASE)).task().lease(),
                result("M2"), T0);

        List<JobStatus> all = jobs().listJobs(new JobQuery(null, manifestation, 10));
        List<JobStatus> completed = jobs().listJobs(new JobQuery(JobState.COMPLETED, manifestation, 10));
        List<JobStatus> first = jobs().listJobs(new JobQuery(null, manifestation, 1));

        assertThat(all).extracting(JobStatus::jobId).containsExactly(newer.jobId(), older.jobId());
        assertThat(all.get(0).totalSegments()).isEqualTo(2);
        assertThat(all.get(0).queued()).isEqualTo(2);
        assertThat(completed).extracting(JobStatus::jobId).containsExactly(older.jobId());
        assertThat(first).extracting(JobStatus::jobId).containsExactly(newer.jobId());
        assertThat(jobs().listJobs(new JobQuery(null, "no-such-" + UUID.randomUUID(), 10))).isEmpty();
    }
}
