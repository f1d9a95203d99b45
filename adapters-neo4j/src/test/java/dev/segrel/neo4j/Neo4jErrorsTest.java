package dev.segrel.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segrel.core.port.out.GraphUnavailableException;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.driver.exceptions.AuthorizationExpiredException;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.ConnectionReadTimeoutException;
import org.neo4j.driver.exceptions.DatabaseException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.neo4j.driver.exceptions.TransientException;
import org.neo4j.driver.exceptions.value.LossyCoercion;
import org.neo4j.driver.exceptions.value.Uncoercible;

/** One case per driver exception type: transient ones become GraphUnavailableException, the rest stay. */
class Neo4jErrorsTest {

    private static final Neo4jConfig CONFIG = Neo4jConfig.of("bolt://graph.internal:7687", "neo4j", "s3cret-pw");

    private static RuntimeException classified(RuntimeException e) {
        return Neo4jErrors.classify(e, CONFIG);
    }

    private static void isTransient(RuntimeException e) {
        RuntimeException out = classified(e);
        assertThat(out).isInstanceOf(GraphUnavailableException.class).hasCause(e);
        assertThat(out.getMessage()).doesNotContain("s3cret-pw");
    }

    @Test
    void anUnreachableServerIsTransient() {
        isTransient(new ServiceUnavailableException("Unable to connect to graph.internal:7687"));
    }

    @Test
    void aReadTimeoutIsTransient() {
        isTransient(ConnectionReadTimeoutException.INSTANCE);
    }

    @Test
    void aLeaderSwitchOrALostSessionIsTransient() {
        isTransient(new SessionExpiredException("Server at graph.internal:7687 no longer accepts writes"));
    }

    @Test
    void aTransientServerErrorIsTransient() {
        isTransient(new TransientException("Neo.TransientError.General.MemoryPoolOutOfMemoryError", "busy"));
    }

    @Test
    void anExhaustedConnectionPoolIsTransient() {
        isTransient(new ClientException(
                "Unable to acquire connection from the pool within configured maximum time of 5000ms"));
    }

    @Test
    void aTransactionTimeoutIsTransient() {
        isTransient(new ClientException("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
                "The transaction has been terminated"));
    }

    @Test
    void aServerFailureIsTransient() {
        isTransient(new DatabaseException("Neo.DatabaseError.General.UnknownError", "disk"));
    }

    @Test
    void refusedOrExpiredCredentialsAreTransientAndNamedWithoutThePassword() {
        RuntimeException refused = classified(new AuthenticationException("Neo.ClientError.Security.Unauthorized",
                "The client is unauthorized due to authentication failure. s3cret-pw"));
        assertThat(refused).isInstanceOf(GraphUnavailableException.class)
                .hasMessageContaining("refused the credentials of user 'neo4j'").hasMessageNotContaining("s3cret-pw");
        isTransient(new AuthorizationExpiredException("Neo.ClientError.Security.AuthorizationExpired", "expired"));
    }

    @Test
    void aQueryTheServerRejectsIsNotTransient() {
        ClientException syntax = new ClientException("Neo.ClientError.Statement.SyntaxError", "Invalid input");
        assertThat(classified(syntax)).isSameAs(syntax);
    }

    @Test
    void valueCoercionErrorsAreNotTransient() {
        Uncoercible uncoercible = new Uncoercible("NULL", "Java int");
        LossyCoercion lossy = new LossyCoercion("INTEGER", "Java int");
        assertThat(classified(uncoercible)).isSameAs(uncoercible);
        assertThat(classified(lossy)).isSameAs(lossy);
        IllegalStateException bug = new IllegalStateException("bug");
        assertThat(classified(bug)).isSameAs(bug);
    }
}
