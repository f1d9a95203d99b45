package dev.segrel.devstack.sqs;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An SQS-compatible server (ElasticMQ) in this JVM, on 127.0.0.1, for {@code segrel dev up}, the demo
 * and tests. Any credentials are accepted; {@link #ACCESS_KEY_ID}/{@link #SECRET_ACCESS_KEY} are the
 * ones to configure clients with. Queues live in memory and die with the server. Starting takes
 * 2–3 s on a small machine (mostly the actor system), so start one per JVM.
 */
public final class EmbeddedSqs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSqs.class);

    public static final String ACCESS_KEY_ID = "segrel";
    public static final String SECRET_ACCESS_KEY = "segrel";
    public static final String REGION = "us-east-1";

    private final SQSRestServer server;
    private final int port;
    private final SqsClient client;
    private final Duration startTime;

    private EmbeddedSqs(SQSRestServer server, int port, Duration startTime) {
        this.server = server;
        this.port = port;
        this.startTime = startTime;
        this.client = SqsClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
                .httpClient(Apache5HttpClient.create())
                .build();
    }

    /**
     * Starts a server and waits until it accepts connections.
     *
     * @param port the port to listen on, or 0 for any free port (see {@link #port()})
     */
    public static EmbeddedSqs start(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
        long t0 = System.nanoTime();
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withPort(port)
                .withAWSRegion(REGION)
                .start();
        InetSocketAddress address = server.waitUntilStarted().localAddress();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        LOG.info("ElasticMQ listening on 127.0.0.1:{} after {} ms", address.getPort(), took.toMillis());
        return new EmbeddedSqs(server, address.getPort(), took);
    }

    /**
     * The settings that point segrel at {@code urls} on this server, as {@code segrel worker} and the
     * CLI read them: the endpoint, the three queues, the region, and credentials (ElasticMQ accepts
     * any; these keep the SDK from looking for real ones).
     */
    public SequencedMap<String, String> settings(QueueUrls urls) {
        SequencedMap<String, String> env = new LinkedHashMap<>();
        env.put("SQS_ENDPOINT", endpoint());
        env.put("SQS_QUEUE_URL", urls.queue());
        env.put("SQS_DLQ_URL", urls.deadLetter());
        env.put("SQS_COMPLETED_QUEUE_URL", urls.completed());
        env.put("AWS_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
        return env;
    }

    /** Where clients connect ({@code SQS_ENDPOINT}), e.g. {@code http://127.0.0.1:9324}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** How long {@link #start} took. */
    public Duration startTime() {
        return startTime;
    }

    /** A client of this server, closed with it. */
    public SqsClient client() {
        return client;
    }

    /** {@link SqsQueues#create} with {@link SqsQueues#DEFAULT_MAX_RECEIVE_COUNT}. */
    public QueueUrls createQueues(String name) {
        return createQueues(name, SqsQueues.DEFAULT_MAX_RECEIVE_COUNT);
    }

    /** Creates {@code name}, {@code name-dlq} (redrive after {@code maxReceiveCount}) and {@code name-completed}. */
    public QueueUrls createQueues(String name, int maxReceiveCount) {
        return SqsQueues.create(client, requireNonNull(name, "name is null"), maxReceiveCount);
    }

    /** Stops the server and waits for it. */
    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }
}
