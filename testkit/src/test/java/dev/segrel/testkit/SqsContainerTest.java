package dev.segrel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.devstack.sqs.EmbeddedSqs;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The ElasticMQ container the fixture uses where a Docker engine answers. */
@ExtendWith(DockerOnly.class)
class SqsContainerTest {

    @Test
    void starts_and_hands_out_queue_urls_on_the_mapped_port() {
        try (GenericContainer<?> container = ServerContainers.startSqs();
                SqsClient client = SqsClient.builder()
                        .endpointOverride(URI.create(ServerContainers.sqsEndpoint(container)))
                        .region(Region.of(EmbeddedSqs.REGION))
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(EmbeddedSqs.ACCESS_KEY_ID, EmbeddedSqs.SECRET_ACCESS_KEY)))
                        .httpClient(Apache5HttpClient.create())
                        .build()) {
            String url = client.createQueue(b -> b.queueName("segrel-container-test")).queueUrl();

            assertThat(url).startsWith(ServerContainers.sqsEndpoint(container) + "/");
            client.sendMessage(b -> b.queueUrl(url).messageBody("hello"));
            assertThat(client.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)).messages())
                    .singleElement()
                    .satisfies(m -> assertThat(m.body()).isEqualTo("hello"));
        }
    }
}
