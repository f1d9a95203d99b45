package dev.segrel.sqs;

import static dev.segrel.core.port.out.TaskQueue.MAX_BATCH;

import dev.segrel.core.port.out.TaskQueue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** How {@link SqsTaskQueue#send} cuts bodies into {@code SendMessageBatch} requests SQS accepts. */
final class SendRequests {

    /** SQS's limit on one message and on one {@code SendMessageBatch} request in all. */
    static final int MAX_REQUEST_BYTES = TaskQueue.MAX_MESSAGE_BYTES;

    private SendRequests() {}

    /**
     * The bodies' indexes, in order, grouped into {@code SendMessageBatch} requests SQS accepts: at most
     * {@value TaskQueue#MAX_BATCH} entries and {@value #MAX_REQUEST_BYTES} bytes in all (bodies and attributes, as
     * SQS counts them). A body that could never be sent, being over that size alone, goes into
     * {@code failed} with the reason instead of into a request.
     */
    static List<List<Integer>> requests(List<String> bodies, int attributeBytes, Map<Integer, String> failed) {
        List<List<Integer>> requests = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long currentBytes = 0;
        for (int i = 0; i < bodies.size(); i++) {
            long bytes = (long) bodies.get(i).getBytes(StandardCharsets.UTF_8).length + attributeBytes;
            if (bytes > MAX_REQUEST_BYTES) {
                failed.put(i, "message of " + bytes + " bytes is over SQS's limit of " + MAX_REQUEST_BYTES + " bytes");
                continue;
            }
            if (current.size() == MAX_BATCH || currentBytes + bytes > MAX_REQUEST_BYTES) {
                requests.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(i);
            currentBytes += bytes;
        }
        if (!current.isEmpty()) {
            requests.add(current);
        }
        return requests;
    }

    /** What the attributes add to each message's size, as SQS counts it (name, type and value). */
    static int attributeBytes(Map<String, MessageAttributeValue> attributes) {
        int bytes = 0;
        for (Map.Entry<String, MessageAttributeValue> a : attributes.entrySet()) {
            bytes += utf8(a.getKey()) + utf8(a.getValue().dataType()) + utf8(a.getValue().stringValue());
        }
        return bytes;
    }

    private static int utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
