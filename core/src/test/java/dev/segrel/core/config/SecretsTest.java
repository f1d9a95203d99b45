package dev.segrel.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            postgresql://u:p@ss:w@rd@db:5432/x           | postgresql://u:***@db:5432/x
            postgresql://u:pc%40ss%3Aword@db/x             | postgresql://u:***@db/x
            postgresql://u@db/x?sslmode=require&sslpassword=hunter2 | postgresql://u@db/x?sslmode=require&sslpassword=***
            postgresql://u@db/x?SSLPassword=hunter2&ssl=1   | postgresql://u@db/x?SSLPassword=***&ssl=1
            jdbc:postgresql://db/x?user=u&password=hunter2 | jdbc:postgresql://db/x?user=u&password=***
            https://sqs/q?X-Amz-Security-Token=abc&apikey=k1&access_key=k2 | https://sqs/q?X-Amz-Security-Token=***&apikey=***&access_key=***
            http://h/x?client_credentials=c&secret=s&ok=1  | http://h/x?client_credentials=***&secret=***&ok=1
            redis://default:p@ss@cache:6379/0              | redis://default:***@cache:6379/0
            rediss://:onlypass@cache:6379                  | rediss://:***@cache:6379
            bolt://neo4j:s3cret@graph:7687 is down          | bolt://neo4j:***@graph:7687 is down
            {user=u, password=hunter2, sslpassword=x}      | {user=u, password=***, sslpassword=***}
            """)
    void redactMasksEveryCredentialForm(String text, String masked) {
        assertThat(Secrets.redact(text)).isEqualTo(masked);
    }

    @Test
    void redactKeepsAUserNameWithoutPasswordAndAnAtInThePath() {
        assertThat(Secrets.redact("postgresql://alice@db/x and http://h/a@b"))
                .isEqualTo("postgresql://alice@db/x and http://h/a@b");
    }
}
