package dev.segrel.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void redactHidesThePasswordOfAUriAndKeepsTheUser() {
        assertThat(Secrets.redact("cannot reach postgresql://alice:s3cret@db:5432/x"))
                .isEqualTo("cannot reach postgresql://alice:***@db:5432/x");
    }

    @Test
    void redactLeavesUrisWithoutPasswordsAlone() {
        assertThat(Secrets.redact("bolt://127.0.0.1:7687 and redis://cache:6379"))
                .isEqualTo("bolt://127.0.0.1:7687 and redis://cache:6379");
    }

    @Test
    void redactMasksPasswordQueryParameters() {
        assertThat(Secrets.redact("jdbc:postgresql://h/db?user=a&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=***&ssl=true");
    }

    @Test
    void scrubRemovesGivenSecretsAnywhere() {
        assertThat(Secrets.scrub("auth failed for hunter2!", "hunter2")).isEqualTo("auth failed for ***!");
    }
}
