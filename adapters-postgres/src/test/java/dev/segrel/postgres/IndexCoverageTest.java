package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every statement a worker or sweeper runs can be served by an index: with sequential scans priced
 * out, no plan reads a whole table, in any layout (through the views, on the deployed tables).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(StoreDatabase.class)
class IndexCoverageTest {

    @Parameter
    StoreDatabase database;

    private static Postgres postgres;

    @BeforeParameterizedClassInvocation
    static void start(StoreDatabase database) {
        postgres = Postgres.connect(PostgresConfig.ofUrl(database.migrated().jdbcUrl()).withPoolSize(2));
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        postgres.close();
    }

    private static String statement(String name) {
        return switch (name) {
            case "claimAll" -> postgres.claims().claimAllSql();
            case "inspectAll" -> PostgresTaskClaims.INSPECT_ALL;
            case "extendAll" -> PostgresTaskClaims.EXTEND_ALL;
            case "releaseAll" -> PostgresTaskClaims.RELEASE_ALL;
            case "endAll" -> postgres.completions().endAllSql();
            case "countDownBatches" -> PostgresBatches.COUNT_DOWN;
            case "jobStatus" -> TaskTables.JOB_STATUS;
            case "reclaim" -> PostgresTaskRecovery.RECLAIM;
            case "stranded" -> PostgresTaskRecovery.STRANDED;
            case "countExpectingMessage" -> PostgresTaskRecovery.COUNT_EXPECTING_MESSAGE;
            case "spanlessClaim" -> SpanlessClaim.CLAIM;
            case "outboxTake" -> PostgresOutbox.TAKE;
            case "backlog" -> PostgresBacklog.SNAPSHOT;
            case "announceBatches" -> PostgresBatches.ANNOUNCE;
            case "reopenBatches" -> PostgresBatches.REOPEN;
            case "dropUnsentAnnouncements" -> PostgresTaskRecovery.DROP_UNSENT_ANNOUNCEMENTS;
            case "stuckOf" -> PostgresOutbox.STUCK_OF;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"claimAll", "inspectAll", "extendAll", "releaseAll", "endAll", "countDownBatches", "jobStatus", "reclaim", "stranded", "countExpectingMessage", "spanlessClaim", "outboxTake", "backlog",
            "announceBatches", "reopenBatches", "dropUnsentAnnouncements", "stuckOf"})
    void theStatementReadsNoTableWhole(String name) {
        List<String> plan = plan(name);

        assertThat(String.join("\n", plan)).doesNotContainPattern("Seq Scan on (segment_task|segment_mapping|root_job|segrel_outbox)");
    }

    /**
     * The statements that count a job's or batch's earlier announcements, sent or not, by id prefix (to
     * number a new one) find them by a range of the outbox's byte-ordered id index, not by reading every
     * id the outbox ever held (a LIKE on a computed pattern can use no index: it showed as a bitmap scan
     * of the whole unique index). Those that look only at unsent rows (a reprocess dropping them, the
     * stuck count) are served by the pending rows' partial index, which the test above checks.
     */
    @ParameterizedTest
    @ValueSource(strings = {"endAll", "announceBatches"})
    void announcementIdPrefixesAreLookedUpByIndexRange(String name) {
        List<String> plan = plan(name);

        assertThat(String.join("\n", plan)).contains("segrel_outbox_message_id_bytes");
        assertThat(unboundIndexScans(plan)).as("scans of the outbox's ids with no condition (they read them all)")
                .noneMatch(node -> node.contains("segrel_outbox_message_id"));
    }

    /**
     * The index scans of {@code plan} (EXPLAIN's lines) that carry no {@code Index Cond}: with sequential
     * scans priced out, a condition no index serves (a LIKE on a computed pattern, say) shows as one.
     */
    static List<String> unboundIndexScans(List<String> plan) {
        List<String> unbound = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            String node = plan.get(i);
            if (!node.matches(".*\\b(Index Scan|Index Only Scan|Bitmap Index Scan)\\b.*")) {
                continue;
            }
            boolean bound = false;
            for (int j = i + 1; j < plan.size() && !plan.get(j).contains("->"); j++) {
                bound |= plan.get(j).contains("Index Cond:");
            }
            if (!bound) {
                unbound.add(node.strip());
            }
        }
        return unbound;
    }

    /** EXPLAIN's lines for the statement, with sequential scans priced out. */
    private static List<String> plan(String name) {
        OffsetDateTime now = OffsetDateTime.of(2030, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        Map<String, Object> values = Map.ofEntries(
                Map.entry("owner", "w"), Map.entry("expires", now), Map.entry("until", now), Map.entry("now", now),
                Map.entry("quietSince", now), Map.entry("untouchedSince", now), Map.entry("hintStart", 1), Map.entry("hintEnd", 2),
                Map.entry("job", UUID.randomUUID()), Map.entry("segment", "S"), Map.entry("task", UUID.randomUUID()),
                Map.entry("token", 1L), Map.entry("result", "[]"),
                Map.entry("maxAttempts", 3), Map.entry("error", "e"), Map.entry("limit", 10), Map.entry("time", now),
                // the set forms' array parameters
                Map.entry("jobs", new UUID[] {UUID.randomUUID()}), Map.entry("segments", new String[] {"S"}),
                Map.entry("hintStarts", new Integer[] {1}), Map.entry("hintEnds", new Integer[] {2}),
                Map.entry("createFor", new String[] {"M"}), Map.entry("tasks", new UUID[] {UUID.randomUUID()}),
                Map.entry("tokens", new Long[] {1L}), Map.entry("owners", new String[] {"w"}),
                Map.entry("results", new String[] {"[]"}), Map.entry("errors", new String[] {null}),
                Map.entry("permanent", new Boolean[] {false}), Map.entry("runs", new Integer[] {0}),
                Map.entry("failed", new Boolean[] {false}),
                Map.entry("traceParents", new String[] {null}), Map.entry("traceStates", new String[] {null}),
                Map.entry("ids", new String[] {"batch-completed:j:0:1"}), Map.entry("bodies", new String[] {"{}"}),
                Map.entry("destination", "completed"));
        String sql = statement(name);

        return postgres.jdbi().withHandle(h -> {
            h.execute("SET enable_seqscan = off");
            var query = h.createQuery("EXPLAIN " + sql);
            values.forEach((k, v) -> {
                if (!sql.matches("(?s).*:" + k + "\\b.*")) {
                    return;
                }
                if (v instanceof Object[] array) {
                    query.bindArray(k, array.getClass().getComponentType(), array);
                } else {
                    query.bind(k, v);
                }
            });
            List<String> lines = query.mapTo(String.class).list();
            h.execute("RESET enable_seqscan");
            return lines;
        });
    }

}
