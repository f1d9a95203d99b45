package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentSettingsTest {

    @TempDir
    Path dir;

    @Test
    void environmentWinsOverDotEnv() throws IOException {
        Path env = dir.resolve(".env");
        Files.writeString(env, "# comment\nexport NEO4J_URI=bolt://from-file:7687\nNEO4J_USER='neo'\nA=\"x y\"\nB=1 # trailing\n");

        Settings settings = EnvironmentSettings.load(Map.of("NEO4J_URI", "bolt://from-env:7687"), env);

        assertThat(settings.get("NEO4J_URI")).contains("bolt://from-env:7687");
        assertThat(settings.get("NEO4J_USER")).contains("neo");
        assertThat(settings.get("A")).contains("x y");
        assertThat(settings.get("B")).contains("1");
    }

    @Test
    void missingDotEnvAndBlankValuesAreAbsent() {
        Settings settings = EnvironmentSettings.load(Map.of("EMPTY", "  "), dir.resolve("nope"));

        assertThat(settings.get("EMPTY")).isEmpty();
        assertThat(settings.get("EMPTY", "d")).isEqualTo("d");
    }

    @Test
    void dotEnvLinesWithoutAKeyOrAnEqualsSignAreSkipped() {
        assertThat(EnvironmentSettings.parseDotEnv(List.of("", "  # note", "NOEQUALS", "=value", "K = v ", "Q=''")))
                .containsExactly(Map.entry("K", "v"), Map.entry("Q", ""));
    }
}
