package dev.segrel.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void blankValuesAreAbsentAndValuesAreTrimmed() {
        Settings settings = Settings.of(Map.of("EMPTY", "  ", "A", " x "));

        assertThat(settings.get("EMPTY")).isEmpty();
        assertThat(settings.get("EMPTY", "d")).isEqualTo("d");
        assertThat(settings.get("MISSING", "d")).isEqualTo("d");
        assertThat(settings.get("A")).contains("x");
        assertThat(settings.asMap()).containsEntry("A", " x ");
    }

    @Test
    void withReplacesSomeValuesInACopy() {
        Settings base = Settings.of(Map.of("A", "1", "B", "2"));

        Settings changed = base.with(Map.of("B", "3", "C", "4"));

        assertThat(changed.asMap()).isEqualTo(Map.of("A", "1", "B", "3", "C", "4"));
        assertThat(base.asMap()).isEqualTo(Map.of("A", "1", "B", "2"));
    }
}
