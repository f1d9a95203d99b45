package dev.segrel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.testkit.TestServers.Choice;
import dev.segrel.testkit.TestServers.Kind;
import dev.segrel.testkit.TestServers.Server;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The choice of server kinds, as a pure function of the environment and of Docker's answer. */
class TestServersTest {

    private final AtomicInteger dockerAsked = new AtomicInteger();

    private BooleanSupplier docker(boolean answers) {
        return () -> {
            dockerAsked.incrementAndGet();
            return answers;
        };
    }

    private static Choice decide(Map<String, String> environment, BooleanSupplier docker) {
        return TestServers.decide(environment::get, docker);
    }

    @Test
    void without_docker_every_server_runs_in_process() {
        Choice choice = decide(Map.of(), docker(false));

        for (Server server : Server.values()) {
            assertThat(choice.kind(server)).isEqualTo(Kind.IN_PROCESS);
        }
        assertThat(dockerAsked).hasValue(1);
        assertThat(choice.logLine()).isEqualTo("test servers: in process (no Docker engine answered); set "
                + "SEGREL_TEST_POSTGRES_URL, SEGREL_TEST_NEO4J_URI or SEGREL_TEST_SQS_ENDPOINT to use your own");
    }

    @Test
    void with_docker_every_server_runs_in_a_container() {
        Choice choice = decide(Map.of(), docker(true));

        for (Server server : Server.values()) {
            assertThat(choice.kind(server)).isEqualTo(Kind.CONTAINER);
        }
        assertThat(dockerAsked).hasValue(1);
        assertThat(choice.logLine()).isEqualTo("test servers: Testcontainers (a Docker engine answered; "
                + "SEGREL_TEST_CONTAINERS=false runs them in process); set SEGREL_TEST_POSTGRES_URL, "
                + "SEGREL_TEST_NEO4J_URI or SEGREL_TEST_SQS_ENDPOINT to use your own");
    }

    @Test
    void an_environment_variable_wins_over_docker() {
        Choice choice = decide(Map.of("SEGREL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
                docker(true));

        assertThat(choice.kind(Server.POSTGRES)).isEqualTo(Kind.EXTERNAL);
        assertThat(choice.kind(Server.NEO4J)).isEqualTo(Kind.CONTAINER);
        assertThat(choice.kind(Server.SQS)).isEqualTo(Kind.CONTAINER);
        assertThat(choice.logLine()).isEqualTo("test servers: PostgreSQL external (SEGREL_TEST_POSTGRES_URL), "
                + "Neo4j and SQS Testcontainers (a Docker engine answered; SEGREL_TEST_CONTAINERS=false runs them "
                + "in process); set SEGREL_TEST_NEO4J_URI or SEGREL_TEST_SQS_ENDPOINT to use your own");
    }

    @Test
    void an_environment_variable_wins_without_docker_too() {
        Choice choice = decide(Map.of("SEGREL_TEST_SQS_ENDPOINT", "http://127.0.0.1:9324"), docker(false));

        assertThat(choice.kind(Server.SQS)).isEqualTo(Kind.EXTERNAL);
        assertThat(choice.kind(Server.POSTGRES)).isEqualTo(Kind.IN_PROCESS);
        assertThat(choice.kind(Server.NEO4J)).isEqualTo(Kind.IN_PROCESS);
        assertThat(choice.logLine()).isEqualTo("test servers: PostgreSQL and Neo4j in process (no Docker engine "
                + "answered), SQS external (SEGREL_TEST_SQS_ENDPOINT); set SEGREL_TEST_POSTGRES_URL or "
                + "SEGREL_TEST_NEO4J_URI to use your own");
    }

    @Test
    void docker_is_not_asked_when_every_server_is_external() {
        Choice choice = decide(Map.of(
                "SEGREL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test",
                "SEGREL_TEST_NEO4J_URI", "bolt://127.0.0.1:7687",
                "SEGREL_TEST_SQS_ENDPOINT", "http://127.0.0.1:9324"), docker(true));

        for (Server server : Server.values()) {
            assertThat(choice.kind(server)).isEqualTo(Kind.EXTERNAL);
        }
        assertThat(dockerAsked).hasValue(0);
        assertThat(choice.logLine()).isEqualTo("test servers: external "
                + "(SEGREL_TEST_POSTGRES_URL, SEGREL_TEST_NEO4J_URI, SEGREL_TEST_SQS_ENDPOINT)");
    }

    @Test
    void a_blank_variable_counts_as_unset() {
        Choice choice = decide(Map.of("SEGREL_TEST_NEO4J_URI", "  ", "SEGREL_TEST_CONTAINERS", ""), docker(false));

        assertThat(choice.kind(Server.NEO4J)).isEqualTo(Kind.IN_PROCESS);
    }

    @Test
    void containers_false_runs_in_process_where_docker_answers_without_asking_it() {
        Choice choice = decide(Map.of("SEGREL_TEST_CONTAINERS", "false"), docker(true));

        for (Server server : Server.values()) {
            assertThat(choice.kind(server)).isEqualTo(Kind.IN_PROCESS);
        }
        assertThat(dockerAsked).hasValue(0);
        assertThat(choice.logLine()).isEqualTo("test servers: in process (SEGREL_TEST_CONTAINERS=false); set "
                + "SEGREL_TEST_POSTGRES_URL, SEGREL_TEST_NEO4J_URI or SEGREL_TEST_SQS_ENDPOINT to use your own");
    }

    @Test
    void containers_false_still_lets_an_environment_variable_win() {
        Choice choice = decide(Map.of("SEGREL_TEST_CONTAINERS", "FALSE",
                "SEGREL_TEST_NEO4J_URI", "bolt://127.0.0.1:7687"), docker(true));

        assertThat(choice.kind(Server.NEO4J)).isEqualTo(Kind.EXTERNAL);
        assertThat(choice.kind(Server.POSTGRES)).isEqualTo(Kind.IN_PROCESS);
        assertThat(dockerAsked).hasValue(0);
    }

    @Test
    void containers_true_is_the_default() {
        Choice choice = decide(Map.of("SEGREL_TEST_CONTAINERS", "true"), docker(true));

        assertThat(choice.kind(Server.SQS)).isEqualTo(Kind.CONTAINER);
    }

    @Test
    void any_other_containers_value_is_refused_with_its_name() {
        assertThatThrownBy(() -> decide(Map.of("SEGREL_TEST_CONTAINERS", "maybe"), docker(true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SEGREL_TEST_CONTAINERS must be true or false, was 'maybe'");
    }

    @Test
    void this_jvm_decides_once() {
        assertThat(TestServers.current()).isSameAs(TestServers.current());
    }
}
