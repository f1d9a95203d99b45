package dev.segrel.core.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Keeps credentials out of logs and error messages. */
public final class Secrets {

    /**
     * A URI's authority: scheme, then everything up to the first {@code /}, {@code ?}, {@code #} or
     * blank. Its user-info ends at the LAST {@code @}, since a password may hold {@code @} and
     * {@code :} unencoded (libpq and most clients accept that).
     */
    private static final Pattern AUTHORITY = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)([^/?#\\s\"'<>]*)");
    /**
     * A parameter whose name says it holds a credential (password, sslpassword, token, secret,
     * apikey, access_key, sslkey, client_credentials …), in a query string or in a {@code key=value}
     * list such as a printed {@code Properties}. {@code sslkey} is a path, not a secret, but masking
     * it costs nothing and a rule without exceptions is one an operator can rely on.
     */
    private static final Pattern CREDENTIAL_PARAM = Pattern.compile(
            "(?i)((?:^|[?&;,{\\s(\\[])[a-z0-9_.-]*(?:pass|pwd|secret|token|key|credential)[a-z0-9_.-]*=)[^&;,}\\s)\\]\"']*");

    private Secrets() {}

    /**
     * The text with the password of every URI in it replaced by {@code ***} (user names kept) and
     * every credential-like parameter masked. Safe on any text, including exception messages.
     */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = AUTHORITY.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + maskUserInfo(m.group(2))));
        return CREDENTIAL_PARAM.matcher(out).replaceAll("$1***");
    }

    private static String maskUserInfo(String authority) {
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return authority;
        }
        String userInfo = authority.substring(0, at);
        int colon = userInfo.indexOf(':');
        if (colon < 0) {
            return authority;
        }
        return userInfo.substring(0, colon) + ":***" + authority.substring(at);
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
