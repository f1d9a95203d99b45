package dev.segrel.worker;

import dev.segrel.core.config.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one turn of a scheduled job so that nothing it throws escapes: a {@code ScheduledExecutorService}
 * silently stops a schedule whose task throws, and the heartbeat, the relay, the sweeper or a poller
 * that stopped so would let leases expire or figures go stale with nothing said.
 *
 * <p>An {@link Error} is caught too (a bug's {@code AssertionError}, a {@code StackOverflowError} of one
 * deep input): the next turn may well succeed, and a stopped schedule never would. A
 * {@link VirtualMachineError} is logged at ERROR and the schedule goes on as well: this class cannot
 * repair the JVM, and ending the process is the JVM's decision ({@code -XX:+ExitOnOutOfMemoryError}),
 * not a scheduled job's.
 */
final class Guarded {

    private static final Logger log = LoggerFactory.getLogger(Guarded.class);

    private Guarded() {}

    /** Runs {@code action}; logs (redacted) whatever it throws and returns false then. */
    static boolean run(String what, Runnable action) {
        try {
            action.run();
            return true;
        } catch (RuntimeException e) {
            log.warn("{} failed: {}", what, Secrets.redact(String.valueOf(e.getMessage())));
        } catch (VirtualMachineError e) {
            log.error("{} failed: {}; the schedule goes on", what, e.getClass().getSimpleName());
        } catch (Throwable e) {
            log.error("{} failed on {}: {}; the schedule goes on", what, e.getClass().getName(),
                    Secrets.redact(String.valueOf(e.getMessage())));
        }
        return false;
    }
}
