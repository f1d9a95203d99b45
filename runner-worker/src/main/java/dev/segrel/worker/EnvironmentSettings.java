package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings a runner (the worker's jar, the {@code segrel} CLI) starts with: its environment,
 * over a {@code .env} file in the working directory (as the existing service reads it). A variable
 * set in the environment wins over the same name in {@code .env}. Where the settings come from is a
 * runner's business, so core only holds them ({@link Settings}).
 *
 * <p>{@code .env} syntax: {@code KEY=VALUE} lines, optional {@code export } prefix, {@code #}
 * comments, values optionally in single or double quotes.
 */
public final class EnvironmentSettings {

    private EnvironmentSettings() {}

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
        return Settings.of(merged);
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
