package dev.segrel.testkit.store;

import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.TaskStore;

class InMemoryTaskStoreTest extends TaskStoreContract {

    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final InMemoryTaskStore store = new InMemoryTaskStore(outbox);

    @Override
    protected TaskStore store() {
        return store;
    }

    @Override
    protected Outbox outbox() {
        return outbox;
    }
}
