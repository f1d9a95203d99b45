package dev.segrel.sqs;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.ConfigException;
import dev.segrel.core.config.ConfigReader;
import dev.segrel.core.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How segrel reaches SQS, read once from the environment (the README's configuration table) by {@link #read},
 * or by {@link #fromSettings} on its own.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>SQS_QUEUE_URL</td><td>none</td><td>the task queue; required by the worker</td></tr>
 *   <tr><td>SQS_COMPLETED_QUEUE_URL</td><td>none</td><td>where job completion messages go</td></tr>
 *   <tr><td>SQS_DLQ_URL</td><td>the queue's RedrivePolicy target</td><td>dead-letter queue</td></tr>
 *   <tr><td>SQS_ENDPOINT</td><td>AWS</td><td>endpoint override (ElasticMQ, LocalStack)</td></tr>
 *   <tr><td>AWS_REGION</td><td>us-east-1</td><td>region</td></tr>
 *   <tr><td>AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY</td><td>the SDK's default credential chain</td>
 *       <td>static credentials; both or neither</td></tr>
 *   <tr><td>SQS_WAIT_SECONDS</td><td>20</td><td>long-poll wait of a receive, 0..20</td></tr>
 *   <tr><td>SQS_VISIBILITY_SECONDS</td><td>60</td><td>visibility timeout given to received messages, 1..43200</td></tr>
 * </table>
 *
 * <p>{@link #toString()} never shows the secret key.
 */
public record SqsConfig(
        Optional<String> queueUrl,
        Optional<String> completedQueueUrl,
        Optional<String> deadLetterQueueUrl,
        Optional<URI> endpoint,
        String region,
        Optional<String> accessKeyId,
        Optional<String> secretAccessKey,
        Duration waitTime,
        Duration visibilityTimeout) {

    public static final String QUEUE_URL = "SQS_QUEUE_URL";
    public static final String COMPLETED_QUEUE_URL = "SQS_COMPLETED_QUEUE_URL";
    public static final String DLQ_URL = "SQS_DLQ_URL";
    public static final String ENDPOINT = "SQS_ENDPOINT";
    public static final String REGION = "AWS_REGION";
    public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    public static final String WAIT_SECONDS = "SQS_WAIT_SECONDS";
    public static final String VISIBILITY_SECONDS = "SQS_VISIBILITY_SECONDS";

    public static final String DEFAULT_REGION = "us-east-1";
    public static final int DEFAULT_WAIT_SECONDS = 20;
    public static final int DEFAULT_VISIBILITY_SECONDS = 60;

    private static final Pattern REGION_PATTERN = Pattern.compile("[a-z]{2,}(-[a-z0-9]+)+");

    public SqsConfig {
        requireNonNull(queueUrl, "queueUrl is null");
        requireNonNull(completedQueueUrl, "completedQueueUrl is null");
        requireNonNull(deadLetterQueueUrl, "deadLetterQueueUrl is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(secretAccessKey, "secretAccessKey is null");
        requireNonNull(waitTime, "waitTime is null");
        requireNonNull(visibilityTimeout, "visibilityTimeout is null");
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw new IllegalArgumentException(ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY + " must be set together");
        }
        if (waitTime.isNegative() || waitTime.toSeconds() > 20) {
            throw new IllegalArgumentException("waitTime must be 0..20 seconds, was " + waitTime);
        }
        if (visibilityTimeout.toSeconds() < 1 || visibilityTimeout.toSeconds() > 43_200) {
            throw new IllegalArgumentException("visibilityTimeout must be 1..43200 seconds, was " + visibilityTimeout);
        }
    }

    /**
     * Reads the keys above.
     *
     * @throws ConfigException listing every bad value, one clear sentence each, on one line
     *     ("invalid SQS configuration: " and the problems separated by "; ")
     */
    public static SqsConfig fromSettings(Settings settings) {
        return ConfigReader.readOrThrow(settings, SqsConfig::read, "invalid SQS configuration: ");
    }

    /**
     * Reads the keys above, recording every bad value in {@code reader} (the secret key is never
     * shown); a bad value reads as its default, a bad URL or a lone credential as unset.
     */
    public static SqsConfig read(ConfigReader reader) {
        Optional<String> queue = reader.optional(QUEUE_URL, SqsConfig::urlProblem);
        Optional<String> completed = reader.optional(COMPLETED_QUEUE_URL, SqsConfig::urlProblem);
        Optional<String> dlq = reader.optional(DLQ_URL, SqsConfig::urlProblem);
        Optional<URI> endpoint = reader.optional(ENDPOINT, SqsConfig::urlProblem).map(URI::create);
        String region = reader.string(REGION, DEFAULT_REGION, SqsConfig::regionProblem);
        Optional<String> keyId = reader.optional(ACCESS_KEY_ID);
        Optional<String> secret = reader.optional(SECRET_ACCESS_KEY);
        if (keyId.isPresent() && secret.isEmpty()) {
            reader.problem(ACCESS_KEY_ID + " is set but " + SECRET_ACCESS_KEY
                    + " is not: set both, or neither to use the default credential chain");
            keyId = Optional.empty();
        }
        if (secret.isPresent() && keyId.isEmpty()) {
            reader.problem(SECRET_ACCESS_KEY + " is set but " + ACCESS_KEY_ID
                    + " is not: set both, or neither to use the default credential chain");
            secret = Optional.empty();
        }
        int wait = seconds(reader, WAIT_SECONDS, DEFAULT_WAIT_SECONDS, 0, 20);
        int visibility = seconds(reader, VISIBILITY_SECONDS, DEFAULT_VISIBILITY_SECONDS, 1, 43_200);
        return new SqsConfig(queue, completed, dlq, endpoint, region, keyId, secret,
                Duration.ofSeconds(wait), Duration.ofSeconds(visibility));
    }

    /** The task queue's URL. @throws IllegalStateException naming the key when it is not set */
    public String requireQueueUrl() {
        return queueUrl.orElseThrow(() -> new ConfigException(List.of(QUEUE_URL
                + " is not set: set it to the URL of the task queue (the environment, or .env in this folder)")));
    }

    private static Optional<String> urlProblem(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                return Optional.of("must be an http(s) URL with a host, was '" + text + "'");
            }
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL (" + e.getReason() + "), was '" + text + "'");
        }
        return Optional.empty();
    }

    private static Optional<String> regionProblem(String region) {
        return REGION_PATTERN.matcher(region).matches() ? Optional.empty()
                : Optional.of("must be a region name such as us-east-1, was '" + region + "'");
    }

    private static int seconds(ConfigReader reader, String key, int fallback, int min, int max) {
        return reader.intValue(key, fallback, min, max, "a whole number of seconds in " + min + ".." + max);
    }

    @Override
    public String toString() {
        return "SqsConfig[queueUrl=" + queueUrl.orElse("-")
                + ", completedQueueUrl=" + completedQueueUrl.orElse("-")
                + ", deadLetterQueueUrl=" + deadLetterQueueUrl.orElse("-")
                + ", endpoint=" + endpoint.map(URI::toString).orElse("-")
                + ", region=" + region
                + ", credentials=" + accessKeyId.map(id -> "static " + maskKeyId(id) + " / ***").orElse("default chain")
                + ", waitTime=" + waitTime.toSeconds() + "s"
                + ", visibilityTimeout=" + visibilityTimeout.toSeconds() + "s]";
    }

    private static String maskKeyId(String id) {
        return id.length() <= 4 ? "***" : id.substring(0, 4) + "***";
    }
}
