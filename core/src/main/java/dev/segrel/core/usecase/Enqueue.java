package dev.segrel.core.usecase;

import dev.segrel.core.domain.TraceContext;
import dev.segrel.core.message.TaskMessage;
import dev.segrel.core.message.TaskRequest;
import dev.segrel.core.port.out.TaskQueue;
import dev.segrel.core.port.out.TaskRecovery.PendingTask;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/** Sends the task messages of tasks a use case created or reset, in the single or the batch format. */
final class Enqueue {

    /**
     * Largest batch message body: the queue's limit per message, less room for the trace attributes and
     * for the number of a split batch growing by a digit.
     */
    static final int MAX_BATCH_BODY_BYTES = TaskQueue.MAX_MESSAGE_BYTES - 1_024;

    /** Bodies sent per call of the queue: progress stays visible and memory bounded. */
    private static final int CHUNK = 500;

    private Enqueue() {}

    static TaskRequest request(PendingTask task) {
        return new TaskRequest(task.key().jobId(), task.manifestationId(), task.key().segmentId(), task.span());
    }

    /**
     * Sends {@code requests} (all of one job): one single-format message each when {@code batchSize}
     * is 0, else batch-format messages of up to {@code batchSize} segments; calls {@code progress}
     * with the count sent so far after each chunk. Returns the number of messages sent.
     */
    static int send(TaskQueue queue, List<TaskRequest> requests, int batchSize, int totalSegments, IntConsumer progress) {
        return send(queue, null, requests, batchSize, totalSegments, null, null, progress);
    }

    /**
     * As {@link #send(TaskQueue, List, int, int, IntConsumer)}, batch messages naming their environments,
     * every message carrying {@code trace} (null: none).
     */
    static int send(TaskQueue queue, TraceContext trace, List<TaskRequest> requests, int batchSize, int totalSegments,
            String source, String destination, IntConsumer progress) {
        return sendBodies(queue, trace, bodies(requests, batchSize, totalSegments, source, destination), progress);
    }

    /** Sends {@code bodies} in chunks, calling {@code progress} with the count sent so far after each. */
    static int sendBodies(TaskQueue queue, List<String> bodies, IntConsumer progress) {
        return sendBodies(queue, null, bodies, progress);
    }

    private static int sendBodies(TaskQueue queue, TraceContext trace, List<String> bodies, IntConsumer progress) {
        int sent = 0;
        for (int from = 0; from < bodies.size(); from += CHUNK) {
            List<String> chunk = bodies.subList(from, Math.min(bodies.size(), from + CHUNK));
            if (trace == null) {
                queue.send(chunk);
            } else {
                queue.send(chunk, trace);
            }
            sent += chunk.size();
            progress.accept(sent);
        }
        return sent;
    }

    private static List<String> bodies(List<TaskRequest> requests, int batchSize, int totalSegments, String source,
            String destination) {
        List<String> bodies = new ArrayList<>();
        if (batchSize <= 0) {
            requests.forEach(r -> bodies.add(TaskMessage.toSingleJson(r)));
            return bodies;
        }
        int[] number = {1};
        for (int from = 0; from < requests.size(); from += batchSize) {
            addBatch(bodies, requests.subList(from, Math.min(requests.size(), from + batchSize)), number, totalSegments,
                    source, destination);
        }
        return bodies;
    }

    /**
     * One batch message of {@code batch}, or, when its body would be over {@link #MAX_BATCH_BODY_BYTES}
     * (long segment ids), the batch split in halves until each is under it; the messages are numbered on
     * from {@code number}. Every segment is in exactly one message either way, and the consumer of the
     * completion messages reads only their segment ids, so a split batch is as good as a whole one.
     */
    private static void addBatch(List<String> bodies, List<TaskRequest> batch, int[] number, int totalSegments,
            String source, String destination) {
        String body = TaskMessage.toBatchJson(batch, number[0], totalSegments, source, destination);
        if (batch.size() > 1 && body.getBytes(StandardCharsets.UTF_8).length > MAX_BATCH_BODY_BYTES) {
            int half = batch.size() / 2;
            addBatch(bodies, batch.subList(0, half), number, totalSegments, source, destination);
            addBatch(bodies, batch.subList(half, batch.size()), number, totalSegments, source, destination);
            return;
        }
        bodies.add(body);
        number[0]++;
    }
}
