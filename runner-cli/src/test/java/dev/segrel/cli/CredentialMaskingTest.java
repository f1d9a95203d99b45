package dev.segrel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tried as an operator would: every dependency unreachable, a credential in each form a URL can
 * carry it, and each command that prints a URL or an error (plain, {@code --verbose}, {@code --json}):
 * no output, no log line and no stack trace shows the credential, in clear or percent-encoded.
 */
class CredentialMaskingTest {

    /** One credential form: the POSTGRES_URL that carries it and the texts that must not appear. */
    record Form(String name, String postgresUrl, List<String> secrets) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String DOWN = "127.0.0.1:1";

    static List<Form> forms() {
        return List.of(
                new Form("user-info password", "postgresql://segrel:Pl41nSecret@" + DOWN + "/segrel",
                        List.of("Pl41nSecret")),
                new Form("password with @ and :", "postgresql://segrel:p@ss:w@rdSecret@" + DOWN + "/segrel",
                        List.of("p@ss:w@rdSecret", "ss:w@rdSecret", "w@rdSecret", "rdSecret")),
                new Form("percent-encoded password", "postgresql://segrel:pc%40Enc%3ASecret@" + DOWN + "/segrel",
                        List.of("pc%40Enc%3ASecret", "pc@Enc:Secret", "EncSecret", "Enc:Secret", "Enc%3ASecret")),
                new Form("?password=", "postgresql://segrel@" + DOWN + "/segrel?password=QueryPwSecret",
                        List.of("QueryPwSecret")),
                new Form("?sslpassword=", "postgresql://segrel@" + DOWN + "/segrel?sslmode=prefer&sslpassword=SslPwSecret",
                        List.of("SslPwSecret")),
                new Form("mixed case ?SSLPassword=", "postgresql://segrel@" + DOWN + "/segrel?SSLPassword=MixedSslSecret",
                        List.of("MixedSslSecret")),
                new Form("JDBC ?password=&sslpassword=",
                        "jdbc:postgresql://" + DOWN + "/segrel?user=segrel&password=JdbcPwSecret&sslpassword=JdbcSslSecret",
                        List.of("JdbcPwSecret", "JdbcSslSecret")));
    }

    static final String NEO4J_SECRET = "N30-uri-Secret";
    static final String CACHE_SECRET = "c@che:Secret9";
    static final String SQS_SECRET = "SqsTokenSecret";

    static List<List<String>> commands() {
        return List.of(List.of("doctor"), List.of("doctor", "--json"), List.of("--verbose", "doctor"),
                List.of("migrate"), List.of("migrate", "--json"), List.of("--verbose", "migrate"),
                List.of("worker"), List.of("--verbose", "worker"));
    }

    static Stream<Arguments> cases() {
        return forms().stream().flatMap(f -> commands().stream().map(c -> Arguments.of(f, String.join(" ", c))));
    }

    @ParameterizedTest(name = "{1} with {0}")
    @MethodSource("cases")
    void noCommandPrintsACredentialOfAnUnreachableDependency(Form form, String command) {
        Settings settings = Settings.of(Map.of(
                "POSTGRES_URL", form.postgresUrl(),
                "NEO4J_URI", "bolt://neo4j:" + NEO4J_SECRET + "@" + DOWN,
                "NEO4J_PASSWORD", "unused-here",
                "DRAGONFLY_URL", "redis://default:" + CACHE_SECRET + "@" + DOWN + "/0",
                "SQS_ENDPOINT", "http://" + DOWN,
                "SQS_QUEUE_URL", "http://" + DOWN + "/000000000000/tasks?token=" + SQS_SECRET,
                "SQS_COMPLETED_QUEUE_URL", "http://" + DOWN + "/000000000000/done",
                "AWS_REGION", "us-east-1",
                "SEGREL_HTTP_PORT", "-1"));

        String printed = runCapturingEverything(settings, command.split(" "));

        assertThat(printed).as("something is printed about the unreachable dependency").isNotBlank();
        List<String> secrets = new ArrayList<>(form.secrets());
        secrets.addAll(List.of(NEO4J_SECRET, CACHE_SECRET, "che:Secret9", SQS_SECRET));
        for (String secret : secrets) {
            assertThat(printed).as("output of segrel %s with %s", command, form).doesNotContain(secret);
        }
        assertThat(printed).as("no JDBC URL of a credential-bearing form in an error")
                .doesNotContainPattern("(?i)(ssl)?password=(?!\\*\\*\\*)");
    }

    /** stdout, stderr and whatever the command logs to the process's own streams. */
    private static String runCapturingEverything(Settings settings, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream processErr = new ByteArrayOutputStream();
        ByteArrayOutputStream processOut = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        System.setErr(new PrintStream(processErr, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(processOut, true, StandardCharsets.UTF_8));
        int exit;
        try {
            CliContext context = CliContext.of(() -> settings, InputStream.nullInputStream(), () -> { });
            exit = Cli.commandLine(context)
                    .setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(err, true))
                    .execute(args);
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
        assertThat(exit).as("exit code of segrel %s (stderr: %s)", String.join(" ", args), err).isNotZero();
        return out + "\n" + err + "\n" + processOut.toString(StandardCharsets.UTF_8) + "\n"
                + processErr.toString(StandardCharsets.UTF_8);
    }
}
