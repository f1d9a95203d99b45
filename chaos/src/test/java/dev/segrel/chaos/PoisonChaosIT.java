package dev.segrel.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Scenario 7: 1,000 malformed bodies mixed into the queue with a real job's tasks. */
class PoisonChaosIT {

    static final int POISON = 1_000;
    static final int HUGE = 9;

    /** Ids an attacker might try: SQL and Cypher fragments, quotes, unicode, escapes. */
    static final List<String> NASTY_IDS = List.of(
            "'; DROP TABLE segment_task; --",
            "\"; DROP TABLE root_job; --",
            "r1' OR '1'='1",
            "x'}) MATCH (n) DETACH DELETE n //",
            "` MATCH (n) DETACH DELETE n //",
            "$param",
            "{{7*7}}",
            "../../etc/passwd",
            "\\\\\\\"",
            "r1\nr2",
            "ሰላም-segment",
            "\u202eevil\u202c",
            "e\u0301\u0301\u0301",
            "😀🔥𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
            "r".repeat(5_000));

    @Test
    void aThousandMalformedBodiesAreEachRecordedWithTheirReasonAndTheRealTasksAllComplete() throws Exception {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        try (ChaosJob job = ChaosJob.create("poison");
                Fleet fleet = new Fleet("poison", job.workerSettings(), ChaosRig.WORKERS)) {
            Map<String, Integer> kinds = new TreeMap<>();
            List<String> poison = poison(job, random, kinds);
            assertThat(poison).hasSize(POISON);
            List<String> all = new ArrayList<>(poison);
            all.addAll(job.taskBodies());
            Collections.shuffle(all, random);
            job.send(all);
            fleet.startAll();

            Figures figures = job.verify(fleet, ChaosJob.Expect.completed(POISON), new Figures("7. Malformed bodies"));

            // each poison body is recorded as sent (bodies over 64 KiB truncated), with a reason
            List<String[]> recorded = recorded(job);
            Map<String, Long> sentCount = poison.stream().filter(b -> b.length() <= 20_000)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            Map<String, Long> recordedCount = recorded.stream().map(r -> r[0]).filter(b -> b.length() <= 20_000)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(recordedCount).isEqualTo(sentCount);
            assertThat(job.queryLong("SELECT count(*) FROM segrel_rejected_message WHERE body_length > 65536"))
                    .as("huge bodies recorded, truncated, with their real length").isEqualTo(HUGE);
            assertThat(recorded).allSatisfy(r -> assertThat(r[1]).isNotBlank());
            // the injection attempts changed nothing
            assertThat(ChaosRig.nodeCount()).isEqualTo(ChaosRig.get().graphNodes);
            assertThat(job.queryLong("SELECT count(*) FROM segment_task")).isEqualTo(job.size);
            Map<String, Integer> reasons = new TreeMap<>();
            for (String[] r : recorded) {
                reasons.merge(reasonKind(r[1]), 1, Integer::sum);
            }
            figures.put("malformed bodies sent", poison.size())
                    .put("kinds sent", kinds)
                    .put("reasons recorded", reasons)
                    .put("random seed (-Dchaos.seed)", seed)
                    .write(job.elapsed());
        }
    }

    private static String reasonKind(String reason) {
        if (reason.contains(": unknown task: ")) {
            return "unknown task (no such task in that job)";
        }
        String r = reason.replaceFirst("^poison message: ", "");
        int cut = r.length();
        for (String stop : List.of(":", " (", ",")) {
            int i = r.indexOf(stop);
            if (i > 0 && i < cut) {
                cut = i;
            }
        }
        String kind = r.substring(0, Math.min(cut, 48)).replace("|", "/").replaceAll("[^\\p{Print}]", "?");
        return kind.replaceAll("\"[^\"]*\"", "\"…\"").replaceAll("'[^']*'", "'…'");
    }

    private static List<String[]> recorded(ChaosJob job) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(job.jdbcUrl); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT body, reason FROM segrel_rejected_message")) {
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return out;
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(ch);
            }
        }
        return b.append('"').toString();
    }

    /** {@value #POISON} bodies, none of which names a real task of the job. */
    static List<String> poison(ChaosJob job, Random random, Map<String, Integer> kinds) {
        String realJob = job.id.toString();
        List<Function<Integer, String>> makers = new ArrayList<>();
        Map<Function<Integer, String>, String> names = new HashMap<>();
        Function<Integer, String> notJson = i -> List.of("hello", "{", "}", "<task/>", "job_id=1&segment_id=r1",
                "{'job_id': 'x'}", "{job_id: 1}", "\u00ff\u00fe", "NaN", "{\"a\":1,}", "[1,2", "\"unterminated")
                .get(i % 12) + (i % 12 == 3 ? "" : "");
        Function<Integer, String> truncated = i -> {
            String whole = "{\"job_id\": \"" + UUID.randomUUID() + "\", \"manifestation_id\": \"R\", \"segment_id\": \"r"
                    + i + "\", \"start\": 0, \"end\": 10}";
            return whole.substring(0, 1 + random.nextInt(whole.length() - 2));
        };
        Function<Integer, String> wrongTypes = i -> List.of(
                "{\"job_id\": 42, \"manifestation_id\": \"R\", \"segment_id\": \"r1\", \"start\": 0, \"end\": 10}",
                "{\"job_id\": \"" + realJob + "\", \"manifestation_id\": [\"R\"], \"segment_id\": \"zz" + i + "\", \"start\": 0, \"end\": 10}",
                "{\"job_id\": \"" + realJob + "\", \"manifestation_id\": \"R\", \"segment_id\": {\"id\": 1}, \"start\": 0, \"end\": 10}",
                "{\"job_id\": \"" + realJob + "\", \"manifestation_id\": \"R\", \"segment_id\": \"zz" + i + "\", \"start\": \"0\", \"end\": 10}",
                "{\"job_id\": \"" + realJob + "\", \"manifestation_id\": \"R\", \"segment_id\": \"zz" + i + "\", \"start\": 0, \"end\": true}",
                "{\"job_id\": \"" + realJob + "\", \"manifestation_id\": \"R\", \"segment_id\": \"zz" + i + "\", \"start\": 0.5, \"end\": 10}",
                "{\"job_id\": \"" + realJob + "\", \"manifestation_id\": \"R\", \"segment_id\": \"zz" + i + "\", \"start\": 0, \"end\": 1e99}",
                "{\"root_job_id\": \"" + realJob + "\", \"text_id\": \"R\", \"segments\": {\"segment_id\": \"r1\"}}",
                "[]", "42", "null", "\"a string\"").get(i % 12);
        Function<Integer, String> missing = i -> {
            List<String> fields = new ArrayList<>(List.of("\"job_id\": \"" + UUID.randomUUID() + "\"",
                    "\"manifestation_id\": \"R\"", "\"segment_id\": \"r" + i + "\"", "\"start\": 0", "\"end\": 10"));
            fields.remove(i % 3); // job, manifestation or segment id missing
            return "{" + String.join(", ", fields) + "}";
        };
        Function<Integer, String> badSpan = i -> {
            int[][] spans = {{-5, 10}, {100, 10}, {10, 10}, {-1, -1}, {0, Integer.MIN_VALUE}};
            int[] s = spans[i % spans.length];
            return "{\"job_id\": \"" + realJob + "\", \"manifestation_id\": \"R\", \"segment_id\": \"zz" + i
                    + "\", \"start\": " + s[0] + ", \"end\": " + s[1] + "}";
        };
        Function<Integer, String> huge = i -> switch (i % 3) {
            case 0 -> "{\"job_id\": \"" + UUID.randomUUID() + "\", \"manifestation_id\": \"R\", \"segment_id\": \""
                    + "x".repeat(200_000) + "\", \"start\": 0, \"end\": 10}";
            case 1 -> "[".repeat(100_000);
            default -> "{\"job_id\": \"" + UUID.randomUUID() + "\", \"pad\": \"" + "é".repeat(90_000) + "\"}";
        };
        Function<Integer, String> unknownJob = i -> "{\"job_id\": \"" + UUID.randomUUID()
                + "\", \"manifestation_id\": \"R\", \"segment_id\": \"r" + (i % ChaosRig.SEGMENTS) + "\", \"start\": "
                + (i % ChaosRig.SEGMENTS) * 10 + ", \"end\": " + ((i % ChaosRig.SEGMENTS) * 10 + 10) + "}";
        Function<Integer, String> injection = i -> {
            String nasty = NASTY_IDS.get(i % NASTY_IDS.size());
            return switch ((i / NASTY_IDS.size()) % 4) {
                // the real job, an id that is no task of it
                case 0 -> "{\"job_id\": \"" + realJob + "\", \"manifestation_id\": \"R\", \"segment_id\": " + quote(nasty)
                        + ", \"start\": 0, \"end\": 10}";
                case 1 -> "{\"job_id\": " + quote(nasty) + ", \"manifestation_id\": \"R\", \"segment_id\": \"r1\", "
                        + "\"start\": 0, \"end\": 10}";
                case 2 -> "{\"job_id\": \"" + UUID.randomUUID() + "\", \"manifestation_id\": " + quote(nasty)
                        + ", \"segment_id\": " + quote(nasty) + ", \"start\": 0, \"end\": 10}";
                default -> "{\"root_job_id\": \"" + realJob + "\", \"text_id\": \"R\", \"batch_number\": 1, "
                        + "\"total_segments\": 1, \"segments\": [{\"segment_id\": " + quote(nasty)
                        + ", \"span\": {\"start\": 0, \"end\": 10}}]}";
            };
        };
        names.put(notJson, "not JSON");
        names.put(truncated, "truncated");
        names.put(wrongTypes, "wrong types");
        names.put(missing, "missing fields");
        names.put(badSpan, "negative or reversed spans");
        names.put(huge, "huge (100-200 KB)");
        names.put(unknownJob, "unknown job ids");
        names.put(injection, "injection and unicode ids");
        makers.addAll(List.of(notJson, truncated, wrongTypes, missing, badSpan, unknownJob, injection));
        List<String> out = new ArrayList<>(POISON);
        int hugeCount = HUGE;
        for (int i = 0; i < hugeCount; i++) {
            out.add(huge.apply(i));
            kinds.merge(names.get(huge), 1, Integer::sum);
        }
        for (int i = 0; out.size() < POISON; i++) {
            Function<Integer, String> maker = makers.get(i % makers.size());
            out.add(maker.apply(i / makers.size() + i));
            kinds.merge(names.get(maker), 1, Integer::sum);
        }
        return out;
    }
}
