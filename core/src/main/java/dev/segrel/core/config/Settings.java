package dev.segrel.core.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration a process runs with: names and their values, immutable. Where they come from
 * is the caller's business (the runners read the environment over {@code .env}); typed values are
 * read with a {@link ConfigReader}.
 */
public final class Settings {

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Exactly these values. */
    public static Settings of(Map<String, String> values) {
        return new Settings(values);
    }

    /** A copy with some values replaced (tests, dev stack). */
    public Settings with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        merged.putAll(overrides);
        return new Settings(merged);
    }

    /** The value, absent when unset or blank. */
    public Optional<String> get(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    public Map<String, String> asMap() {
        return values;
    }
}
