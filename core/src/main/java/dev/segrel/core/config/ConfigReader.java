package dev.segrel.core.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads typed values out of {@link Settings} and collects one line per missing or malformed key,
 * so a process can report every configuration problem at once instead of the first one only.
 *
 * <pre>{@code
 * ConfigReader r = new ConfigReader(settings);
 * int concurrency = r.intValue("SEGREL_CONCURRENCY", 16, 1, 1024);
 * Neo4jConfig neo4j = Neo4jConfig.read(r);   // records its own problems in r
 * r.throwIfInvalid();   // ConfigException, one line per problem
 * }</pre>
 *
 * <p>A bad value is recorded and read as the default (or as absent), so that reading goes on and
 * the next problem is found too: what was read is meant to be used once {@link #throwIfInvalid}
 * passed. Not thread-safe; one reader per reading.
 */
public final class ConfigReader {

    /** Finds what is wrong with a value, if anything. */
    @FunctionalInterface
    public interface Check {
        /**
         * The problem with {@code value}, worded to follow the key ("must start with redis://, was
         * 'x'"), or empty when it is fine. Must not echo a secret (redact URLs).
         */
        Optional<String> problem(String value);
    }

    private final Settings settings;
    private final List<String> problems = new ArrayList<>();

    public ConfigReader(Settings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    public Optional<String> optional(String key) {
        return settings.get(key);
    }

    /** Every name that is set, blank ones included: for configs whose keys are found by pattern ({@code <ENV>_NEO4J_URI}). */
    public Set<String> keys() {
        return settings.asMap().keySet();
    }

    /** The value when {@code check} finds nothing wrong with it; else records "KEY problem" and returns empty. */
    public Optional<String> optional(String key, Check check) {
        requireNonNull(check, "check is null");
        Optional<String> value = settings.get(key);
        Optional<String> problem = value.flatMap(check::problem);
        if (problem.isPresent()) {
            problems.add(key + " " + problem.get());
            return Optional.empty();
        }
        return value;
    }

    public String string(String key, String defaultValue) {
        return settings.get(key, defaultValue);
    }

    /** The value when set and {@code check} finds nothing wrong with it; else records "KEY problem". */
    public String string(String key, String defaultValue, Check check) {
        return optional(key, check).orElse(defaultValue);
    }

    /**
     * The value exactly as set, leading and trailing spaces kept (a password may have them), or
     * {@code defaultValue} when the key is not set at all.
     */
    public String verbatim(String key, String defaultValue) {
        return settings.asMap().getOrDefault(key, defaultValue);
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

    /**
     * A whole number in {@code [min, max]}; records "KEY must be an integer between MIN and MAX, was
     * 'text'" or "KEY must be between MIN and MAX, was N".
     */
    public int intValue(String key, int defaultValue, int min, int max) {
        return intValue(key, defaultValue, min, max, "an integer between " + min + " and " + max,
                "between " + min + " and " + max);
    }

    /** A whole number in {@code [min, max]}; records "KEY must be EXPECTED, was 'text'" for any bad value. */
    public int intValue(String key, int defaultValue, int min, int max, String expected) {
        return (int) number(key, defaultValue, min, max, true, expected, null);
    }

    /**
     * A whole number in {@code [min, max]}; records "KEY must be NOT_A_NUMBER, was 'text'" when it is
     * no {@code int}, "KEY must be OUT_OF_RANGE, was N" when it is outside the range.
     */
    public int intValue(String key, int defaultValue, int min, int max, String notANumber, String outOfRange) {
        return (int) number(key, defaultValue, min, max, true, notANumber, requireNonNull(outOfRange, "outOfRange is null"));
    }

    /** As {@link #intValue(String, int, int, int, String)}, for a {@code long}. */
    public long longValue(String key, long defaultValue, long min, long max, String expected) {
        return number(key, defaultValue, min, max, false, expected, null);
    }

    /** As {@link #intValue(String, int, int, int, String, String)}, for a {@code long}. */
    public long longValue(String key, long defaultValue, long min, long max, String notANumber, String outOfRange) {
        return number(key, defaultValue, min, max, false, notANumber, requireNonNull(outOfRange, "outOfRange is null"));
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
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> {
                problems.add(key + " must be true or false, was '" + raw.get() + "'");
                yield defaultValue;
            }
        };
    }

    /** Records a problem found by the caller's own check (one line, naming the key). */
    public void problem(String line) {
        problems.add(requireNonNull(line, "line is null"));
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * Reads one config out of {@code settings} with {@code read} and throws every problem it found,
     * on one line after {@code heading} (see {@link #throwIfInvalid(String)}).
     */
    public static <T> T readOrThrow(Settings settings, Function<ConfigReader, T> read, String heading) {
        ConfigReader reader = new ConfigReader(requireNonNull(settings, "settings is null"));
        T config = read.apply(reader);
        reader.throwIfInvalid(heading);
        return config;
    }

    /** Throws a {@link ConfigException} whose message has one line per problem, if there is any. */
    public void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /**
     * As {@link #throwIfInvalid()}, but the message is one line: {@code heading} and then the
     * problems separated by "; " (for callers that show an error on one line, as the CLI does).
     */
    public void throwIfInvalid(String heading) {
        requireNonNull(heading, "heading is null");
        if (!problems.isEmpty()) {
            throw new ConfigException(heading + String.join("; ", problems), problems);
        }
    }

    /** {@code outOfRange} null: one sentence, {@code notANumber}, for every bad value. */
    private long number(String key, long defaultValue, long min, long max, boolean intWidth, String notANumber,
            String outOfRange) {
        requireNonNull(notANumber, "notANumber is null");
        Optional<String> raw = settings.get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = intWidth ? Integer.parseInt(raw.get()) : Long.parseLong(raw.get());
        } catch (NumberFormatException e) {
            problems.add(key + " must be " + notANumber + ", was '" + raw.get() + "'");
            return defaultValue;
        }
        if (value < min || value > max) {
            problems.add(outOfRange == null
                    ? key + " must be " + notANumber + ", was '" + raw.get() + "'"
                    : key + " must be " + outOfRange + ", was " + value);
            return defaultValue;
        }
        return value;
    }
}
