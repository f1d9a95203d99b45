package dev.segrel.core.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Configuration that cannot be used: every missing or malformed setting, one line each, so that a
 * process names all of them at once. An {@link IllegalArgumentException}, so callers that catch
 * that keep working.
 */
public final class ConfigException extends IllegalArgumentException {

    private final List<String> problems;

    /** The message is the problems, one per line. */
    public ConfigException(List<String> problems) {
        this(String.join("\n", checked(problems)), problems);
    }

    /** A message of the caller's making (one line, say), over the same list of problems. */
    public ConfigException(String message, List<String> problems) {
        super(requireNonNull(message, "message is null"));
        this.problems = List.copyOf(checked(problems));
    }

    /** Every problem, one line each, in the order they were found; never empty. */
    public List<String> problems() {
        return problems;
    }

    private static List<String> checked(List<String> problems) {
        requireNonNull(problems, "problems is null");
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems is empty");
        }
        return problems;
    }
}
