package dev.segrel.postgres;

/**
 * The outbox ids of a job's or batch's later announcements extend its first one's
 * ({@code job-completed:<job>:a2}, {@code batch-completed:<job>:<run>:<batch>:a2} ...). Statements that
 * look them up by prefix use {@link #extending}: a byte range that the outbox's C-collated id index
 * ({@code segrel_outbox_message_id_bytes}, V6) serves, where a {@code LIKE} on a computed pattern can
 * use no index and reads every id the outbox ever held.
 */
final class AnnouncementIds {

    private AnnouncementIds() {}

    /** SQL: the id of a job's first announcement in its run ({@code job-completed:<job>}, then {@code :<run>}). */
    static String jobBase(String jobId, String run) {
        return "'job-completed:' || " + jobId + "::text || CASE WHEN " + run + " = 0 THEN '' ELSE ':' || " + run + " END";
    }

    /**
     * SQL: a lateral join naming {@code prior.n}, how many announcements under {@code base} the outbox
     * holds, sent or not ({@code base} itself and its {@code :aN}); {@link #next} numbers the next one by it.
     */
    static String prior(String base) {
        return "CROSS JOIN LATERAL (SELECT count(*) AS n FROM segrel_outbox o WHERE "
                + firstOrLater("o.message_id", base, ":a") + ") prior";
    }

    /** SQL: the next announcement's id under {@code base}: {@code base} the first time, then {@code :a2}, {@code :a3} ... */
    static String next(String base) {
        return base + " || CASE WHEN prior.n = 0 THEN '' ELSE ':a' || (prior.n + 1) END";
    }

    /** SQL that is true when {@code column} is {@code base} or {@linkplain #extending extends} it by {@code suffix}. */
    static String firstOrLater(String column, String base, String suffix) {
        return "(" + column + " = " + base + " OR " + extending(column, base, suffix) + ")";
    }

    /**
     * SQL that is true when {@code column} starts with the text of the SQL expression {@code base}
     * followed by the literal {@code suffix}: the ids in {@code [base || suffix, base || suffix')}, with
     * the last character of {@code suffix'} one past {@code suffix}'s, in byte order.
     */
    static String extending(String column, String base, String suffix) {
        if (suffix.isEmpty() || !suffix.matches("[:a-z]+")) {
            throw new IllegalArgumentException("suffix must be a few of ':' and a-z, was '" + suffix + "'");
        }
        char last = suffix.charAt(suffix.length() - 1);
        String past = suffix.substring(0, suffix.length() - 1) + (char) (last + 1);
        return "(%1$s COLLATE \"C\" >= (%2$s || '%3$s') AND %1$s COLLATE \"C\" < (%2$s || '%4$s'))"
                .formatted(column, base, suffix, past);
    }
}
