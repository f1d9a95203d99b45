package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"claimAll", "inspectAll", "extendAll", "releaseAll", "endAll", "countDownBatches", "jobStatus", "reclaim", "stranded", "countExpectingMessage", "spanlessClaim", "outboxTake", "backlog"})
    void theStatementReadsNoTableWhole(String name) {
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
                Map.entry("traceParents", new String[] {null}), Map.entry("traceStates", new String[] {null}));
        String sql = statement(name);

        List<String> plan = postgres.jdbi().withHandle(h -> {
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

        assertThat(String.join("\n", plan)).doesNotContainPattern("Seq Scan on (segment_task|segment_mapping|root_job|segrel_outbox)");
    }
}
