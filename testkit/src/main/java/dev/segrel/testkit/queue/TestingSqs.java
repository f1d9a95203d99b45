package dev.segrel.testkit.queue;

import dev.segrel.devstack.sqs.EmbeddedSqs;
import dev.segrel.devstack.sqs.QueueUrls;
import dev.segrel.devstack.sqs.SqsQueues;
import dev.segrel.testkit.ServerContainers;
import dev.segrel.testkit.TestServers;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.containers.GenericContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SQS server tests use, one per JVM from first use: the server at
 * {@code $SEGREL_TEST_SQS_ENDPOINT} (credentials from {@code AWS_ACCESS_KEY_ID}/
 * {@code AWS_SECRET_ACCESS_KEY} if set), else an ElasticMQ container where a Docker engine answers,
 * else an ElasticMQ in process (see {@link TestServers}). Tests get fresh, uniquely named queues, so test classes
 * (and JVMs sharing an external server) never see each other's messages.
 */
public final class TestingSqs {

    public static final String ENDPOINT_ENV = "SEGREL_TEST_SQS_ENDPOINT";

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private TestingSqs() {}

    private static final class Server {
        static final String ENDPOINT;
        static final SqsClient CLIENT;

        static {
            ENDPOINT = switch (TestServers.kindOf(TestServers.Server.SQS)) {
                case EXTERNAL -> System.getenv(ENDPOINT_ENV).trim();
                case CONTAINER -> {
                    GenericContainer<?> container = ServerContainers.startSqs();
                    ServerContainers.stopAtExit(container, "testing-sqs-stop");
                    yield ServerContainers.sqsEndpoint(container);
                }
                case IN_PROCESS -> {
                    EmbeddedSqs sqs = EmbeddedSqs.start(0);
                    Runtime.getRuntime().addShutdownHook(new Thread(sqs::close, "embedded-sqs-stop"));
                    yield sqs.endpoint();
                }
            };
            CLIENT = SqsClient.builder()
                    .endpointOverride(URI.create(ENDPOINT))
                    .region(Region.of(EmbeddedSqs.REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(accessKeyId(), secretAccessKey())))
                    .httpClient(Apache5HttpClient.create())
                    .build();
        }
    }

    /** The endpoint ({@code SQS_ENDPOINT}); starts the server on first use. */
    public static String endpoint() {
        return Server.ENDPOINT;
    }

    /** A client of the server, shared; do not close it. */
    public static SqsClient client() {
        return Server.CLIENT;
    }

    public static String accessKeyId() {
        return envOr("AWS_ACCESS_KEY_ID", EmbeddedSqs.ACCESS_KEY_ID);
    }

    public static String secretAccessKey() {
        return envOr("AWS_SECRET_ACCESS_KEY", EmbeddedSqs.SECRET_ACCESS_KEY);
    }

    /** The settings a runner needs to use {@code urls} on this server. */
    public static Map<String, String> settings(QueueUrls urls) {
        return Map.of(
                "SQS_QUEUE_URL", urls.queue(),
                "SQS_DLQ_URL", urls.deadLetter(),
                "SQS_COMPLETED_QUEUE_URL", urls.completed(),
                "SQS_ENDPOINT", endpoint(),
                "AWS_REGION", EmbeddedSqs.REGION,
                "AWS_ACCESS_KEY_ID", accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", secretAccessKey());
    }

    /** A fresh queue trio named after {@code prefix}, redriving after 5 receives. */
    public static QueueUrls createQueues(String prefix) {
        return createQueues(prefix, SqsQueues.DEFAULT_MAX_RECEIVE_COUNT);
    }

    public static QueueUrls createQueues(String prefix, int maxReceiveCount) {
        return SqsQueues.create(client(), uniqueName(prefix), maxReceiveCount);
    }

    /** One fresh queue; FIFO when {@code fifo}. */
    public static String createQueue(String prefix, boolean fifo) {
        return SqsQueues.createQueue(client(), uniqueName(prefix) + (fifo ? ".fifo" : ""), Map.of());
    }

    /** A queue name unique in this run: the prefix's letters and digits, a run id and a counter. */
    public static String uniqueName(String prefix) {
        String clean = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        if (clean.length() > 40) {
            clean = clean.substring(0, 40);
        }
        return clean + "-" + RUN + "-" + COUNTER.incrementAndGet();
    }

    private static String envOr(String key, String fallback) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? fallback : value;
    }
}
