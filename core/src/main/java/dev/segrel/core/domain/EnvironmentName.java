package dev.segrel.core.domain;

import java.util.regex.Pattern;

/**
 * What can name an environment (a message's {@code source_environment} or
 * {@code destination_environment}): a plain identifier, so that it can become the prefix of a
 * configuration key ({@code <SOURCE>_NEO4J_URI}). Here, not in a port, because in-ports validate
 * their commands with it and ports of one side do not depend on the other.
 */
public final class EnvironmentName {

    /** A letter, then letters, digits or underscores; at most 64 characters. */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    private EnvironmentName() {}

    /** True when {@code name} can name an environment. */
    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }
}
