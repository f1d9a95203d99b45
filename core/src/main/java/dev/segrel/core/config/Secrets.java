package dev.segrel.core.config;

import java.util.regex.Pattern;

/** Keeps credentials out of logs and error messages. */
public final class Secrets {

    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)([^/@\\s:]*)(:[^/@\\s]*)?@");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;](password|pass|pwd|secret|token)=)[^&;\\s]*");

    private Secrets() {}

    /**
     * The text with the password of every URI in it replaced by {@code ***} (user names kept) and
     * password-like query parameters masked. Safe on any text, including exception messages.
     */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = USER_INFO.matcher(text).replaceAll(m -> {
            String scheme = m.group(1);
            String user = m.group(2);
            return java.util.regex.Matcher.quoteReplacement(
                    scheme + user + (m.group(3) != null ? ":***" : "") + "@");
        });
        return PASSWORD_PARAM.matcher(out).replaceAll("$1***");
    }

    /** Removes every occurrence of each non-blank secret from the text (for messages that echo them). */
    public static String scrub(String text, String... secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 3) {
                out = out.replace(secret, "***");
            }
        }
        return redact(out);
    }
}
