package dev.segrel.dragonfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.domain.Span;
import org.junit.jupiter.api.Test;

class CacheKeysTest {

    @Test
    void theDefaultGraphsKeysAreUnchanged() {
        assertThat(CacheKeys.DEFAULT.slice("M1")).isEqualTo("segrel:v1:slice:M1");
        assertThat(CacheKeys.DEFAULT.exists("M1")).isEqualTo("segrel:v1:exists:M1");
        assertThat(CacheKeys.DEFAULT.aligned("M1", Span.of(0, 10))).isEqualTo("segrel:v1:aligned:M1:0:10");
        assertThat(CacheKeys.DEFAULT.environmentName()).isEmpty();
    }

    @Test
    void anEnvironmentsKeysAreInItsOwnUpperCaseNamespace() {
        CacheKeys production = CacheKeys.environment("production");

        assertThat(production.environmentName()).contains("PRODUCTION");
        assertThat(production.prefix()).isEqualTo("segrel:v1:env:PRODUCTION:");
        assertThat(production.slice("M1")).isEqualTo("segrel:v1:env:PRODUCTION:slice:M1");
        assertThat(production.segmentsOf("a:b", "segmentation")).isEqualTo("segrel:v1:env:PRODUCTION:segments:a%3Ab:segmentation");
        assertThat(CacheKeys.environment("PRODUCTION").slice("M1")).isEqualTo(production.slice("M1"));
    }

    @Test
    void twoNamespacesNeverShareAKey() {
        CacheKeys a = CacheKeys.environment("A");
        CacheKeys b = CacheKeys.environment("B");
        // an environment named like a kind, or a manifestation named like an environment's prefix
        CacheKeys slice = CacheKeys.environment("SLICE");

        assertThat(a.slice("M")).isNotEqualTo(b.slice("M")).isNotEqualTo(CacheKeys.DEFAULT.slice("M"));
        assertThat(slice.slice("M")).isNotEqualTo(CacheKeys.DEFAULT.slice("env:SLICE:slice:M"));
        assertThat(CacheKeys.DEFAULT.slice("env:A:slice:M")).doesNotStartWith(CacheKeys.ENVIRONMENT_PREFIX);
    }

    @Test
    void notAnEnvironmentNameIsRefused() {
        assertThatThrownBy(() -> CacheKeys.environment("prod-eu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prod-eu");
        assertThatThrownBy(() -> CacheKeys.environment("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEnvironmentKeyIsOfOneManifestationExactly() {
        CacheKeys a = CacheKeys.environment("A");

        assertThat(CacheKeys.isEnvironmentKeyOf(a.slice("M"), "M")).isTrue();
        assertThat(CacheKeys.isEnvironmentKeyOf(a.exists("M"), "M")).isTrue();
        assertThat(CacheKeys.isEnvironmentKeyOf(a.aligned("M", Span.of(0, 5)), "M")).isTrue();
        assertThat(CacheKeys.isEnvironmentKeyOf(a.segmentation("M", Span.of(0, 5)), "M")).isTrue();
        assertThat(CacheKeys.isEnvironmentKeyOf(a.segmentsOf("M", "alignment"), "M")).isTrue();

        assertThat(CacheKeys.isEnvironmentKeyOf(a.slice("MN"), "M")).isFalse();
        assertThat(CacheKeys.isEnvironmentKeyOf(a.slice("M:N"), "M")).isFalse();
        assertThat(CacheKeys.isEnvironmentKeyOf(CacheKeys.DEFAULT.slice("M"), "M")).isFalse();
        // what a glob across the ':' would take: the segments of manifestation "slice" with source "M"
        assertThat(CacheKeys.isEnvironmentKeyOf(a.segmentsOf("slice", "M"), "M")).isFalse();
        assertThat(CacheKeys.isEnvironmentKeyOf(a.aligned("aligned", Span.of(0, 5)), "0")).isFalse();
    }
}
