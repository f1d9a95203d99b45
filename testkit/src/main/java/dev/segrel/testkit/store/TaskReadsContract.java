package dev.segrel.testkit.store;

import static dev.segrel.testkit.store.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.out.Jobs.NewJob;
import dev.segrel.core.port.out.TaskReads;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskReads} must do: one task, and every task of a job streamed in segment order.
 * Extend it with a class that supplies the store's ports over one state ({@link #stores()});
 * each test makes its own jobs, so one store may serve all tests.
 */
public abstract class TaskReadsContract extends TaskStoreContractSupport {

    @Test
    public void taskShowsTheStoredStateSpanAttemptsAndResult() {
        NewJob job = created(aJob().withManifestation("M1").withTasks(2));
        completions().complete(claim(job, 0, "w1", T0), result("M2"), T0);

        TaskDetail done = reads().task(key(job, 0)).orElseThrow();
        TaskDetail waiting = reads().task(key(job, 1)).orElseThrow();

        assertThat(done).isEqualTo(new TaskDetail(key(job, 0), "M1", TaskState.COMPLETED, JobTestData.spanOf(0), 1,
                result("M2"), null));
        assertThat(waiting.state()).isEqualTo(TaskState.QUEUED);
        assertThat(waiting.mappings()).isEmpty();
        assertThat(reads().task(new TaskKey(job.jobId(), "nope"))).isEmpty();
        assertThat(reads().task(new TaskKey(JobId.random(), "S0"))).isEmpty();
    }

    @Test
    public void forEachTaskHandsOverEveryTaskOrderedBySegmentId() {
        NewJob job = created(aJob().withTasks(12));
        completions().complete(claim(job, 3, "w1", T0), result("M9"), T0);
        List<TaskDetail> seen = new ArrayList<>();

        boolean known = reads().forEachTask(job.jobId(), seen::add);

        assertThat(known).isTrue();
        assertThat(seen).extracting(t -> t.key().segmentId())
                .containsExactly("S0", "S1", "S10", "S11", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9");
        assertThat(seen.get(5).mappings()).isEqualTo(result("M9"));
        assertThat(seen.get(5).state()).isEqualTo(TaskState.COMPLETED);
        assertThat(reads().forEachTask(JobId.random(), t -> {
            throw new AssertionError("no task of an unknown job");
        })).isFalse();
    }

    @Test
    public void forEachTaskListsEveryTaskWithItsMappings() {
        NewJob job = created(aJob().withManifestation("M1").withTasks(2));
        List<Mapping> mappings = List.of(
                new Mapping("M2", List.of(Segment.of("a", 0, 4), Segment.of("b", 4, 9))), new Mapping("M3", List.of()));
        completions().complete(claim(job, 0, "w1", T0), mappings, T0);
        List<TaskDetail> seen = new ArrayList<>();

        reads().forEachTask(job.jobId(), seen::add);

        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).manifestationId()).isEqualTo("M1");
        assertThat(seen.get(0).key().segmentId()).isEqualTo("S0");
        assertThat(seen.get(0).state()).isEqualTo(TaskState.COMPLETED);
        assertThat(seen.get(0).mappings()).isEqualTo(mappings);
        assertThat(seen.get(1).state()).isEqualTo(TaskState.QUEUED);
        assertThat(seen.get(1).mappings()).isEmpty();
    }
}
