package dev.segrel.core.port.out;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.TaskDetail;
import dev.segrel.core.domain.TaskKey;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What operators read about tasks: one task, and every task of a job streamed (results, reprocessing
 * dry runs). Reads only; safe for concurrent use. An unreachable database throws
 * {@link StoreUnavailableException} (transient).
 */
public interface TaskReads {


    /** One task, or empty when the job or the segment is unknown. One round trip. */
    Optional<TaskDetail> task(TaskKey key);

    /**
     * Hands every task of the job to {@code sink}, ordered by segment id, without holding the whole
     * job in memory (a job of 100,000 segments streams through a database cursor). {@code sink} runs
     * on the calling thread; an exception it throws stops the iteration and propagates.
     *
     * @return false when the job is unknown ({@code sink} is not called)
     */
    boolean forEachTask(JobId jobId, Consumer<TaskDetail> sink);
}
