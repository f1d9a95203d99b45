package dev.segrel.postgres;

import dev.segrel.core.port.out.StoreUnavailableException;

/**
 * A migration step could not take a table's lock within {@code SEGREL_MIGRATE_LOCK_TIMEOUT_MS}, attempt
 * after attempt: other sessions held the table (a long transaction, a report, another tool's DDL). The
 * steps done before are kept and the next run goes on from there. Transient: running again once the other
 * session has ended succeeds. The message is one line naming the table.
 */
public final class MigrationLockException extends StoreUnavailableException {

    private static final long serialVersionUID = 1L;

    public MigrationLockException(String message, Throwable cause) {
        super(message, cause);
    }
}
