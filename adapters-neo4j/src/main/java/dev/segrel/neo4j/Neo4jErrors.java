package dev.segrel.neo4j;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.config.Secrets;
import dev.segrel.core.port.out.GraphUnavailableException;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.DatabaseException;
import org.neo4j.driver.exceptions.RetryableException;
import org.neo4j.driver.exceptions.SecurityException;

/**
 * The one place that says which driver errors are transient, for every reader of this adapter (the
 * level queries and the slice loader): a server that cannot be reached or is busy, whatever the
 * driver calls it, becomes {@link GraphUnavailableException}; anything else (a query the server
 * rejects, a programming error) is left as it is.
 *
 * <p>Transient: every {@link RetryableException} ({@code ServiceUnavailableException} and its
 * {@code ConnectionReadTimeoutException}, {@code SessionExpiredException} — a leader switch or a
 * connection lost mid-transaction —, {@code TransientException}, {@code AuthorizationExpiredException}),
 * a {@link SecurityException} (credentials refused: the operator must act, the tasks must wait), a
 * {@link DatabaseException} (the server failed, not the query), and the {@link ClientException}s
 * that mean "busy": no connection free in the pool within the acquisition timeout (the driver says
 * so only in the message) and a transaction timed out.
 */
final class Neo4jErrors {

    private Neo4jErrors() {}

    /** {@code e} as this adapter reports it: {@link GraphUnavailableException} when transient, else itself. */
    static RuntimeException classify(RuntimeException e, Neo4jConfig config) {
        requireNonNull(e, "e is null");
        return isTransient(e) ? unavailable(e, config) : e;
    }

    static boolean isTransient(RuntimeException e) {
        if (e instanceof GraphUnavailableException) {
            return true;
        }
        if (e instanceof RetryableException || e instanceof SecurityException || e instanceof DatabaseException) {
            return true;
        }
        if (e instanceof ClientException c) {
            return isTimeout(c) || isPoolExhausted(c);
        }
        return false;
    }

    static GraphUnavailableException unavailable(RuntimeException e, Neo4jConfig config) {
        if (e instanceof GraphUnavailableException g) {
            return g;
        }
        String reason = Secrets.scrub(String.valueOf(e.getMessage()), config.password());
        String what = e instanceof SecurityException ? "refused the credentials of user '" + config.user() + "'"
                : "is unavailable";
        return new GraphUnavailableException("Neo4j at " + config.redactedUri() + " " + what + ": " + reason, e);
    }

    private static boolean isTimeout(ClientException e) {
        String code = e.code();
        return code != null && (code.contains("TransactionTimedOut") || code.contains("Timeout"));
    }

    private static boolean isPoolExhausted(ClientException e) {
        String message = e.getMessage();
        return message != null && message.startsWith("Unable to acquire connection from the pool");
    }
}
