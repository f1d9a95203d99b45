package dev.segrel.core.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads typed values out of {@link Settings} and collects one line per missing or malformed key,
 * so a process can report every configuration problem at once instead of the first one only.
 *
 * <pre>{@code
 * ConfigReader r = new ConfigReader(settings);
 * int concurrency = r.intValue("SEGREL_CONCURRENCY", 16, 1, 1024);
 * r.throwIfInvalid();   // IllegalArgumentException, one line per problem
 * }</pre>
 */
public final class ConfigReader {

    private final Settings settings;
    private final List<String> problems = new ArrayList<>();

    public ConfigReader(Settings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    public Optional<String> optional(String key) {
        return settings.get(key);
    }

    public String string(String key, String defaultValue) {
        return settings.get(key, defaultValue);
    }

    /** A required value; records "KEY is not set (what it is)" when missing. */
    public String required(String key, String what) {
        Optional<String> value = settings.get(key);
        if (value.isEmpty()) {
            problems.add(key + " is not set (" + what + ")");
            return "";
        }
        return value.get();
    }

    public int intValue(String key, int defaultValue, int min, int max) {
        Optional<String> raw = settings.get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                problems.add(key + " must be between " + min + " and " + max + ", was " + value);
                return defaultValue;
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(key + " must be an integer between " + min + " and " + max + ", was '" + raw.get() + "'");
            return defaultValue;
        }
    }

    public Duration seconds(String key, Duration defaultValue, long minSeconds, long maxSeconds) {
        return Duration.ofSeconds(intValue(key, (int) defaultValue.toSeconds(), (int) minSeconds, (int) maxSeconds));
    }

    public Duration millis(String key, Duration defaultValue, long minMillis, long maxMillis) {
        return Duration.ofMillis(intValue(key, (int) defaultValue.toMillis(), (int) minMillis, (int) maxMillis));
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<String> raw = settings.get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> {
                problems.add(key + " must be true or false, was '" + raw.get() + "'");
                yield defaultValue;
            }
        };
    }

    /** Records a problem found by the caller's own check. */
    public void problem(String line) {
        problems.add(line);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Throws {@link IllegalArgumentException} with one line per problem, if there is any. */
    public void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
    }
}
