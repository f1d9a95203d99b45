package dev.segrel.postgres;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.port.out.StoreUnavailableException;
import dev.segrel.devstack.LoopbackPorts;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class PostgresConnectTest {

    @Test
    void anUnreachableServerIsAClearTransientErrorWithoutThePassword() throws IOException {
        int closedPort = LoopbackPorts.free();
        PostgresConfig config = PostgresConfig.ofUrl("postgresql://segrel:hunter22@127.0.0.1:" + closedPort + "/jobs");

        assertThatThrownBy(() -> Postgres.connect(config))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:" + closedPort + "/jobs")
                .hasMessageNotContaining("hunter22");
    }
}
