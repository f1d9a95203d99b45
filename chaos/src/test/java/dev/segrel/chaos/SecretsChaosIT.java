package dev.segrel.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.config.Settings;
import dev.segrel.testkit.time.Awaiting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Scenario 8: passwords in every setting that can hold one; faults that make adapters write errors
 * (graph cut, sessions killed, unreachable servers at start, bad settings); then no log line, error
 * message, health answer or metric contains a password.
 */
class SecretsChaosIT {

    static final String NEO4J_SECRET = "n30-Chaos-Secret-4j";
    static final String PG_SECRET = "pg-Chaos-Secret-42";
    static final String AWS_SECRET = "aws-Chaos-Secret-43";
    static final String CACHE_SECRET = "df-Chaos-Secret-44";
    static final List<String> SECRETS = List.of(NEO4J_SECRET, PG_SECRET, AWS_SECRET, CACHE_SECRET);

    @Test
    void noLogLineErrorMessageHealthAnswerOrMetricContainsAPassword() throws Exception {
        ChaosRig rig = ChaosRig.get();
        List<String> texts = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        try (ChaosJob job = ChaosJob.create("secrets")) {
            Settings secretSettings = job.workerSettings().with(Map.of(
                    "NEO4J_PASSWORD", NEO4J_SECRET,
                    "POSTGRES_URL", job.jdbcUrl + "&password=" + PG_SECRET,
                    "AWS_SECRET_ACCESS_KEY", AWS_SECRET,
                    "DRAGONFLY_URL", "redis://default:" + CACHE_SECRET + "@127.0.0.1:1/0",
                    "SEGREL_HTTP_PORT", "0",
                    "LOG_LEVEL", "DEBUG"));
            try (Fleet fleet = new Fleet("secrets", secretSettings, ChaosRig.WORKERS)) {
                job.send(job.taskBodies());
                fleet.startAll();
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                job.awaitSettled(job.size / 4);
                rig.neo4jProxy.cut();
                rig.postgres.terminateClientSessions();
                // answers while the graph is down carry error texts
                for (int i = 0; i < fleet.size(); i++) {
                    int port = fleet.awaitHttpPort(i, Duration.ofSeconds(30));
                    for (String path : List.of("/health/live", "/health/ready", "/metrics")) {
                        texts.add(get(http, port, path));
                        sources.add("worker " + i + " " + path + " (graph down)");
                    }
                }
                // the outage lasts until a worker has written what it makes it write (a graph error line)
                Awaiting.until(() -> fleet.logs().stream().anyMatch(l -> Fleet.read(l).contains("navailable")),
                        written -> written, Duration.ofSeconds(60));
                rig.neo4jProxy.restore();
                job.awaitSettled(job.size * 2 / 3);
                for (int i = 0; i < fleet.size(); i++) {
                    int port = fleet.httpPort(i);
                    for (String path : List.of("/health/ready", "/metrics")) {
                        texts.add(get(http, port, path));
                        sources.add("worker " + i + " " + path);
                    }
                }
                Figures figures = job.verify(fleet, ChaosJob.Expect.completed(0), new Figures("8. Secrets"));
                fleet.termAll(Duration.ofSeconds(60));
                for (Path log : fleet.logs()) {
                    texts.add(Fleet.read(log));
                    sources.add(log.getFileName().toString());
                }

                // workers that cannot start: each prints why, without the password
                Map<String, Map<String, String>> bad = new HashMap<>();
                bad.put("postgres-unreachable", Map.of("POSTGRES_URL",
                        "postgresql://postgres:" + PG_SECRET + "@127.0.0.1:1/postgres"));
                // every credential form a URL can carry (issue 12, item 14)
                bad.put("postgres-sslpassword", Map.of("POSTGRES_URL",
                        "postgresql://postgres@127.0.0.1:1/postgres?sslmode=prefer&sslpassword=" + PG_SECRET));
                bad.put("postgres-mixed-case-sslpassword", Map.of("POSTGRES_URL",
                        "postgresql://postgres@127.0.0.1:1/postgres?SSLPassword=" + PG_SECRET));
                bad.put("postgres-password-with-at-and-colon", Map.of("POSTGRES_URL",
                        "postgresql://postgres:p@ss:" + PG_SECRET + "@127.0.0.1:1/postgres"));
                bad.put("postgres-percent-encoded-password", Map.of("POSTGRES_URL",
                        "postgresql://postgres:" + PG_SECRET + "%40x%3Ay@127.0.0.1:1/postgres"));
                bad.put("postgres-query-password", Map.of("POSTGRES_URL",
                        "postgresql://postgres@127.0.0.1:1/postgres?password=" + PG_SECRET));
                bad.put("postgres-unreachable-jdbc", Map.of("POSTGRES_URL",
                        "jdbc:postgresql://127.0.0.1:1/postgres?user=postgres&password=" + PG_SECRET));
                bad.put("neo4j-uri-with-password", Map.of("NEO4J_URI",
                        "bolt://neo4j:" + NEO4J_SECRET + "@127.0.0.1:1"));
                bad.put("bad-settings", Map.of("SEGREL_CONCURRENCY", "many", "SQS_VISIBILITY_SECONDS", "-3",
                        "POSTGRES_URL", "mysql://root:" + PG_SECRET + "@db/x"));
                bad.put("sqs-unreachable", Map.of("SQS_ENDPOINT", "http://127.0.0.1:1",
                        "SQS_QUEUE_URL", "http://user:" + AWS_SECRET + "@127.0.0.1:1/q"));
                Map<String, Integer> exits = new HashMap<>();
                Map<String, Process> starting = new HashMap<>();
                Map<String, Path> startLogs = new HashMap<>();
                for (Map.Entry<String, Map<String, String>> e : bad.entrySet()) {
                    Path log = Fleet.logFile("secrets", "cannot-start-" + e.getKey());
                    startLogs.put(e.getKey(), log);
                    starting.put(e.getKey(), Fleet.launch(secretSettings.with(e.getValue()), log));
                }
                for (Map.Entry<String, Process> e : starting.entrySet()) {
                    Process p = e.getValue();
                    Path log = startLogs.get(e.getKey());
                    // it exits, or it starts after all (a graph or queue down at start is not fatal) and is
                    // stopped once it has written what its fault makes it write (SQS: failed receives)
                    String enough = e.getKey().equals("sqs-unreachable") ? "Receive failed, backing off"
                            : " started: up to ";
                    Awaiting.until(() -> !p.isAlive() || Fleet.read(log).contains(enough), done -> done,
                            Duration.ofSeconds(60));
                    if (p.isAlive()) {
                        p.destroy(); // started: stop it
                        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(e.getKey() + " stops on SIGTERM").isTrue();
                    }
                    exits.put(e.getKey(), p.exitValue());
                    texts.add(Fleet.read(startLogs.get(e.getKey())));
                    sources.add(startLogs.get(e.getKey()).getFileName().toString());
                }

                // segrel doctor, with every dependency fine and with each one broken, text and JSON
                Map<String, Integer> doctorExits = new java.util.LinkedHashMap<>();
                Map<String, Map<String, String>> doctorCases = new java.util.LinkedHashMap<>();
                doctorCases.put("all-configured", Map.of());
                doctorCases.putAll(bad);
                for (Map.Entry<String, Map<String, String>> c : doctorCases.entrySet()) {
                    Settings doctorSettings = secretSettings.with(c.getValue());
                    for (String[] args : List.of(new String[] {"doctor"}, new String[] {"doctor", "--json"},
                            new String[] {"--verbose", "doctor"})) {
                        java.io.StringWriter out = new java.io.StringWriter();
                        java.io.StringWriter err = new java.io.StringWriter();
                        int code = dev.segrel.cli.Cli.commandLine(dev.segrel.cli.CliContext.of(() -> doctorSettings,
                                        java.io.InputStream.nullInputStream(), () -> { }))
                                .setOut(new java.io.PrintWriter(out, true))
                                .setErr(new java.io.PrintWriter(err, true))
                                .execute(args);
                        doctorExits.put(c.getKey() + " " + String.join(" ", args), code);
                        texts.add(out + "\n" + err);
                        sources.add("segrel " + String.join(" ", args) + " (" + c.getKey() + ")");
                    }
                }
                // segrel migrate with each broken setting, plain, --json and --verbose
                Map<String, Integer> migrateExits = new java.util.LinkedHashMap<>();
                for (Map.Entry<String, Map<String, String>> c : bad.entrySet()) {
                    Settings migrateSettings = secretSettings.with(c.getValue());
                    for (String[] args : List.of(new String[] {"migrate"}, new String[] {"migrate", "--json"},
                            new String[] {"--verbose", "migrate"})) {
                        java.io.StringWriter out = new java.io.StringWriter();
                        java.io.StringWriter err = new java.io.StringWriter();
                        int code = dev.segrel.cli.Cli.commandLine(dev.segrel.cli.CliContext.of(() -> migrateSettings,
                                        java.io.InputStream.nullInputStream(), () -> { }))
                                .setOut(new java.io.PrintWriter(out, true))
                                .setErr(new java.io.PrintWriter(err, true))
                                .execute(args);
                        migrateExits.put(c.getKey() + " " + String.join(" ", args), code);
                        texts.add(out + "\n" + err);
                        sources.add("segrel " + String.join(" ", args) + " (" + c.getKey() + ")");
                    }
                }
                // the planted cache URL points at no server, so doctor reports that (exit 4) even here
                assertThat(doctorExits.get("all-configured doctor")).isIn(0, 4);
                assertThat(doctorExits.get("postgres-unreachable doctor")).isEqualTo(4);

                List<String> leaks = new ArrayList<>();
                for (int t = 0; t < texts.size(); t++) {
                    for (String secret : SECRETS) {
                        if (texts.get(t).contains(secret)) {
                            leaks.add(sources.get(t) + " contains " + secret);
                        }
                    }
                }
                assertThat(leaks).isEmpty();
                long lines = texts.stream().mapToLong(s -> s.lines().count()).sum();
                figures.put("secrets planted (Neo4j, PostgreSQL, AWS, cache)", SECRETS.size())
                        .put("texts checked (logs, health answers, metric scrapes)", texts.size())
                        .put("lines checked", lines)
                        .put("faults (graph cut, sessions killed, workers that cannot start)", "1, 1, " + bad.size())
                        .put("exit codes of workers that cannot start", exits)
                        .put("leaks", leaks.size())
                        .put("segrel doctor runs (text, --json, --verbose; healthy and each fault)", doctorExits.size())
                        .put("segrel doctor exit codes", doctorExits)
                        .put("segrel migrate runs (text, --json, --verbose; each fault)", migrateExits.size())
                        .write(job.elapsed());
            }
        }
    }

    private static String get(HttpClient http, int port, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (Exception e) {
            return "error " + e;
        }
    }
}
