package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.port.out.StoreUnavailableException;
import dev.segrel.testkit.queue.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Every poll tells each check's state to the listener, which is how the dependency gauges are set. */
class ReadinessTest {

    private final WorkerMetrics metrics = new WorkerMetrics(new MutableClock(Instant.parse("2030-01-01T00:00:00Z")));

    private double gauge(String dependency) {
        return metrics.registry().get("segrel.dependency.up").tags("dependency", dependency).gauge().value();
    }

    @Test
    void eachPollSetsEachChecksDependencyGaugeAndTheSnapshot() {
        AtomicBoolean graphUp = new AtomicBoolean(true);
        // as WorkerApp wires it
        Readiness readiness = new Readiness(List.of(new HttpEndpoints.Check("neo4j", graphUp::get),
                new HttpEndpoints.Check("postgres", () -> {
                    throw new StoreUnavailableException("down", null);
                })), (name, up) -> metrics.backlog().dependency(name, up ? 1 : 0));

        assertThat(readiness.current().up()).as("every check DOWN before the first poll").isFalse();
        readiness.poll();

        assertThat(gauge("neo4j")).isEqualTo(1.0);
        assertThat(gauge("postgres")).isZero();
        assertThat(readiness.current().checks()).containsEntry("neo4j", true).containsEntry("postgres", false);
        graphUp.set(false);
        readiness.poll();
        assertThat(gauge("neo4j")).isZero();
        assertThat(readiness.current().checks()).containsEntry("neo4j", false);
    }
}
