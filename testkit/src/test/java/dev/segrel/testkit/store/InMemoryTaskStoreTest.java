package dev.segrel.testkit.store;

import dev.segrel.core.port.out.Backlog;
import org.junit.jupiter.api.Nested;

/** The in-memory store passes every contract of the task store's ports, over one state. */
class InMemoryTaskStoreTest {

    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final InMemoryTaskStore store = new InMemoryTaskStore(outbox);

    private TaskStorePorts ports() {
        return new TaskStorePorts(store, store, store, store, store, outbox, store);
    }

    @Nested
    class AsJobs extends JobsContract {
        @Override
        protected TaskStorePorts stores() {
            return ports();
        }
    }

    @Nested
    class AsBatches extends BatchesContract {
        @Override
        protected TaskStorePorts stores() {
            return ports();
        }
    }

    @Nested
    class AsBacklog extends BacklogContract {
        @Override
        protected TaskStorePorts stores() {
            return ports();
        }

        @Override
        protected Backlog backlog() {
            return store;
        }
    }

    @Nested
    class AsTaskClaims extends TaskClaimsContract {
        @Override
        protected TaskStorePorts stores() {
            return ports();
        }
    }

    @Nested
    class AsTaskCompletions extends TaskCompletionsContract {
        @Override
        protected TaskStorePorts stores() {
            return ports();
        }
    }

    @Nested
    class AsTaskRecovery extends TaskRecoveryContract {
        @Override
        protected TaskStorePorts stores() {
            return ports();
        }
    }

    @Nested
    class AsTaskReads extends TaskReadsContract {
        @Override
        protected TaskStorePorts stores() {
            return ports();
        }
    }

    @Nested
    class AsOutbox extends OutboxContract {
        @Override
        protected TaskStorePorts stores() {
            return ports();
        }
    }
}
