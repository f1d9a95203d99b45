package dev.segrel.cli;

import dev.segrel.core.port.out.TaskRecovery;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskRecovery.PendingTask;
import java.util.ArrayList;
import java.util.List;

/** Sends task messages for tasks a command created or reset, in the single or the batch format. */
final class TaskMessages {

    /** Bodies sent per call of the queue: progress stays visible and memory bounded. */
    private static final int CHUNK = 500;

    private TaskMessages() {}

    static TaskRequest request(PendingTask task) {
        return new TaskRequest(task.key().jobId(), task.manifestationId(), task.key().segmentId(), task.span());
    }

    /**
     * The bodies for {@code requests} (all of one job): one single-format message each when
     * {@code batchSize} is 0, else batch-format messages of up to {@code batchSize} segments.
     */
    static List<String> bodies(List<TaskRequest> requests, int batchSize, int totalSegments) {
        List<String> bodies = new ArrayList<>();
        if (batchSize <= 0) {
            requests.forEach(r -> bodies.add(TaskMessage.toSingleJson(r)));
            return bodies;
        }
        for (int from = 0, n = 1; from < requests.size(); from += batchSize, n++) {
            bodies.add(TaskMessage.toBatchJson(
                    requests.subList(from, Math.min(requests.size(), from + batchSize)), n, totalSegments));
        }
        return bodies;
    }

    /** Sends the bodies in chunks, calling {@code progress} with the count sent so far; returns the count. */
    static int send(TaskQueue queue, List<String> bodies, java.util.function.IntConsumer progress) {
        int sent = 0;
        for (int from = 0; from < bodies.size(); from += CHUNK) {
            List<String> chunk = bodies.subList(from, Math.min(bodies.size(), from + CHUNK));
            queue.send(chunk);
            sent += chunk.size();
            progress.accept(sent);
        }
        return sent;
    }
}
