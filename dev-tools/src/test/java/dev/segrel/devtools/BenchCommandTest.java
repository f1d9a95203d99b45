package dev.segrel.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segrel.cli.ExitCodes;
import dev.segrel.core.config.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void aTinyBenchPrintsATableAndALastLineOfJsonWithTheRatios() {
        DevRun run = DevRun.run(Settings.of(Map.of()), "bench", "--manifestations", "3", "--segments", "30",
                "--workers", "2", "--plain-sample", "5", "--end-to-end-segments", "20");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        List<String> lines = run.out().lines().toList();
        assertThat(run.out()).contains("(a) plain: per-item queries (existing way)", "(c) alignment index, warm",
                "queue_ceiling:", "batch_queue_ceiling:", "store_ceiling:", "end to end: worker, single messages",
                "end to end: worker, batches (warm)", "end to end: worker, batches (cold: first job)",
                "index == existing way on every one", "stored results compared on", "all equal");
        assertThat(lines.get(lines.size() - 1)).startsWith("{").endsWith("}")
                .contains("\"index_vs_plain\":", "\"cache_vs_plain\":", "\"queue_ceiling_segments_per_s\":",
                        "\"batch_queue_ceiling_segments_per_s\":", "\"store_ceiling_segments_per_s\":",
                        "\"single_end_to_end_segments_per_s\":", "\"batch_end_to_end_segments_per_s\":",
                        "\"batch_end_to_end_cold_segments_per_s\":", "\"plain_segments_per_s\":",
                        "\"single_vs_queue_ceiling\":", "\"batch_vs_store_ceiling\":", "\"batch_vs_plain\":",
                        "\"answers_match\":true");
    }

    @Test
    void withJsonStdoutIsOnlyTheSummaryObject() throws Exception {
        DevRun run = DevRun.run(Settings.of(Map.of()), "bench", "--manifestations", "2", "--segments", "4",
                "--workers", "1", "--plain-sample", "1", "--end-to-end-segments", "0", "--json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out().lines()).singleElement();
        assertThat(new ObjectMapper().readTree(run.out()).get("answers_match").asBoolean()).isTrue();
    }

    @Test
    void nonsenseSizesAreAUsageError() {
        DevRun run = DevRun.run(Settings.of(Map.of()), "bench", "--segments", "1");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--segments must be >= 2");
    }
}
