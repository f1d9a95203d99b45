package dev.segrel.core.domain;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Everything stored about one task.
 *
 * @param manifestationId the job's manifestation
 * @param span the stored span, or null when the row has none (a legacy producer's task)
 * @param attempts claims so far
 * @param mappings the stored {@code result_json}; empty until the task is COMPLETED
 * @param error the task's last error, or null
 */
public record TaskDetail(TaskKey key, String manifestationId, TaskState state, Span span, int attempts,
        List<Mapping> mappings, String error) {
    public TaskDetail {
        requireNonNull(key, "key is null");
        requireNonNull(manifestationId, "manifestationId is null");
        requireNonNull(state, "state is null");
        mappings = List.copyOf(requireNonNull(mappings, "mappings is null"));
    }
}
