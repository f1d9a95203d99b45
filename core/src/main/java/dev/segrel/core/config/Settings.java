package dev.segrel.core.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration a process runs with: its environment, over a {@code .env} file in the working
 * directory (as the existing service reads it). A variable set in the environment wins over the
 * same name in {@code .env}. Immutable.
 *
 * <p>{@code .env} syntax: {@code KEY=VALUE} lines, optional {@code export } prefix, {@code #}
 * comments, values optionally in single or double quotes.
 */
public final class Settings {

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The process environment over {@code ./.env} (when present). */
    public static Settings load() {
        return load(System.getenv(), Path.of(".env"));
    }

    /** {@code environment} over the file {@code dotEnv} (ignored when it does not exist). */
    public static Settings load(Map<String, String> environment, Path dotEnv) {
        requireNonNull(environment, "environment is null");
        Map<String, String> merged = new LinkedHashMap<>();
        if (dotEnv != null && Files.isRegularFile(dotEnv)) {
            try {
                merged.putAll(parseDotEnv(Files.readAllLines(dotEnv, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + dotEnv, e);
            }
        }
        merged.putAll(environment);
        return new Settings(merged);
    }

    /** Exactly these values (tests). */
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

    static Map<String, String> parseDotEnv(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2
                    && ((value.startsWith("\"") && value.endsWith("\"")) || (value.startsWith("'") && value.endsWith("'")))) {
                value = value.substring(1, value.length() - 1);
            } else {
                int comment = value.indexOf(" #");
                if (comment >= 0) {
                    value = value.substring(0, comment).strip();
                }
            }
            out.put(key, value);
        }
        return out;
    }
}
