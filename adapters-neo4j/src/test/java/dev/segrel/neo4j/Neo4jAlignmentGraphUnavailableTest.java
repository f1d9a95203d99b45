package dev.segrel.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.domain.Span;
import dev.segrel.core.port.out.AlignmentGraph.Probe;
import dev.segrel.core.port.out.GraphUnavailableException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class Neo4jAlignmentGraphUnavailableTest {

    private static final String PASSWORD = "hunter2-do-not-log";

    @Test
    void anUnreachableServerIsReportedAsUnavailableWithoutThePassword() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        Neo4jConfig config = new Neo4jConfig("bolt://127.0.0.1:" + port, "neo4j", PASSWORD, Duration.ofMillis(500),
                Duration.ofSeconds(5), 2);

        try (Neo4jAlignmentGraph graph = Neo4jAlignmentGraph.connect(config)) {
            assertThatThrownBy(graph::verifyConnectivity)
                    .isInstanceOf(GraphUnavailableException.class)
                    .hasMessageContaining("bolt://127.0.0.1:" + port)
                    .message().doesNotContain(PASSWORD);
            assertThatThrownBy(() -> graph.alignedSegments(List.of(new Probe("M", new Span(0, 1)))))
                    .isInstanceOf(GraphUnavailableException.class)
                    .message().doesNotContain(PASSWORD);
            assertThatThrownBy(() -> graph.manifestationExists("M"))
                    .isInstanceOf(GraphUnavailableException.class);
            assertThat(graph.toString()).doesNotContain(PASSWORD);
        }
    }
}
