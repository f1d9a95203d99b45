package dev.segrel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.testcontainers.neo4j.Neo4jContainer;

/** The Neo4j container the fixture uses where a Docker engine answers. */
@ExtendWith(DockerOnly.class)
class Neo4jContainerTest {

    @Test
    void starts_without_authentication_and_answers_a_query() {
        try (Neo4jContainer container = ServerContainers.startNeo4j();
                Driver driver = GraphDatabase.driver(container.getBoltUrl(), AuthTokens.none());
                var session = driver.session()) {
            long answer = session.run("RETURN 40 + 2 AS answer").single().get("answer").asLong();
            assertThat(answer).isEqualTo(42);
        }
    }
}
