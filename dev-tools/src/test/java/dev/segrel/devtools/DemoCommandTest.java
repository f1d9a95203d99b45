package dev.segrel.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segrel.cli.ExitCodes;
import dev.segrel.core.config.Settings;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** segrel demo, in process on embedded servers. */
class DemoCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void theDemoRunsAJobToCompletionOnEmbeddedServers() throws Exception {
        DevRun run = DevRun.run(Settings.of(Map.of()), "demo", "--segments", "200", "--workers", "2", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = JSON.readTree(run.out());
        assertThat(summary.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(summary.get("completed_segments").asInt()).isEqualTo(200);
        assertThat(summary.get("completion_message").get("job_id").asText()).isEqualTo(summary.get("job_id").asText());
        JsonNode first = summary.get("examples").get(0);
        assertThat(first.get("segment_id").asText()).isEqualTo("demo-bo-s00000");
        assertThat(first.get("mappings")).extracting(m -> m.get("manifestation_id").asText())
                .containsExactly("demo-en", "demo-zh", "demo-de");
        assertThat(run.err()).contains("segrel demo: loaded the sample corpus").contains("COMPLETED: 200/200 done");
    }

    @Test
    void theDemoRefusesNonsenseOptions() {
        DevRun run = DevRun.run(Settings.of(Map.of()), "demo", "--workers", "0");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines()).singleElement().asString().contains("--workers must be in 1..8");
    }
}
