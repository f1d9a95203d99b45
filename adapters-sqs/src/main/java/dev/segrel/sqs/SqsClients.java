package dev.segrel.sqs;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * Builds the synchronous SQS client from an {@link SqsConfig}: the Apache 5 HTTP client (the SDK's
 * default for sync clients), the endpoint override, static or default-chain credentials.
 *
 * <p>Timeouts: connecting 5 s; a socket read may take 30 s, longer than the longest long poll (20 s);
 * one attempt 35 s; a call, retries included, 2 minutes. The connection pool allows 64 connections,
 * enough for a worker's receivers, processors and heartbeats sharing one client.
 */
public final class SqsClients {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(35);
    static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);
    static final int MAX_CONNECTIONS = 64;

    private SqsClients() {}

    /** A new client; the caller closes it after its last use. */
    public static SqsClient create(SqsConfig config) {
        requireNonNull(config, "config is null");
        SqsClientBuilder builder = SqsClient.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config))
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT)
                        .maxConnections(MAX_CONNECTIONS))
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(ATTEMPT_TIMEOUT).apiCallTimeout(CALL_TIMEOUT));
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(SqsConfig config) {
        if (config.accessKeyId().isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    config.accessKeyId().get(), config.secretAccessKey().orElseThrow()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
