package dev.segrel.devtools;

import dev.segrel.cli.CliException;
import dev.segrel.cli.ExitCodes;
import dev.segrel.devstack.sqs.EmbeddedSqs;
import dev.segrel.devstack.sqs.QueueUrls;
import java.io.PrintWriter;
import java.util.SequencedMap;

/**
 * {@code dev up}'s SQS: ElasticMQ in process with the task queue, its dead-letter queue (redrive
 * policy after {@link dev.segrel.devstack.sqs.SqsQueues#DEFAULT_MAX_RECEIVE_COUNT} receives) and the
 * completion queue.
 */
final class SqsDevService implements DevService {

    /** The task queue's name; the others are {@code -dlq} and {@code -completed} of it. */
    static final String QUEUE_NAME = "segrel-tasks";

    private final EmbeddedSqs sqs;
    private final QueueUrls urls;

    private SqsDevService(EmbeddedSqs sqs, QueueUrls urls) {
        this.sqs = sqs;
        this.urls = urls;
    }

    static SqsDevService start(int port, PrintWriter progress) {
        Ports.requireFree(port, "SQS (ElasticMQ)", "--sqs-port");
        progress.println("segrel: starting SQS (ElasticMQ) on 127.0.0.1:" + port + " …");
        progress.flush();
        EmbeddedSqs sqs;
        try {
            sqs = EmbeddedSqs.start(port);
        } catch (RuntimeException e) {
            if (Ports.causedByBind(e)) {
                throw new CliException(ExitCodes.UNAVAILABLE, "cannot listen on 127.0.0.1:" + port
                        + " for SQS: the port is in use (choose another with --sqs-port)", e);
            }
            throw e;
        }
        try {
            return new SqsDevService(sqs, sqs.createQueues(QUEUE_NAME));
        } catch (RuntimeException e) {
            sqs.close();
            throw e;
        }
    }

    QueueUrls urls() {
        return urls;
    }

    @Override
    public String name() {
        return "SQS";
    }

    @Override
    public SequencedMap<String, String> environment() {
        SequencedMap<String, String> env = sqs.settings(urls);
        return env;
    }

    @Override
    public void close() {
        try {
            sqs.close();
        } catch (RuntimeException e) {
            // best effort: queues live in memory and die with the server
        }
    }
}
