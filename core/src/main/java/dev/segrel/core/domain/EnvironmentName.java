package dev.segrel.core.domain;

import java.util.regex.Pattern;

/**
 * What can name an environment (a batch message's {@code source_environment} or
 * {@code destination_environment}): a plain identifier — a letter, then letters, digits or
 * underscores, at most 64 characters — so that it can be part of a variable name
 * ({@code <ENV>_NEO4J_URI}), a cache key and a metric label.
 */
public final class EnvironmentName {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    private EnvironmentName() {}

    /** True when {@code name} can name an environment. */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
