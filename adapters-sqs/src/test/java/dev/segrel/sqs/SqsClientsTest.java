package dev.segrel.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

class SqsClientsTest {

    @Test
    void withoutKeysTheClientIsBuiltOnTheDefaultCredentialChainWithoutResolvingItYet() {
        SqsConfig config = SqsConfig.fromSettings(Settings.of(Map.of("AWS_REGION", "eu-central-1")));

        try (SqsClient client = SqsClients.create(config)) {
            assertThat(client.serviceClientConfiguration().region().id()).isEqualTo("eu-central-1");
        }
    }

    @Test
    void theEndpointOverrideIsUsed() {
        SqsConfig config = SqsConfig.fromSettings(Settings.of(Map.of(
                "SQS_ENDPOINT", "http://127.0.0.1:9324", "AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "y")));

        try (SqsClient client = SqsClients.create(config)) {
            assertThat(client.serviceClientConfiguration().endpointOverride()).hasValueSatisfying(
                    uri -> assertThat(uri.toString()).isEqualTo("http://127.0.0.1:9324"));
        }
    }
}
