package dev.segrel.testkit.store;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.port.out.Batches;
import dev.segrel.core.port.out.Jobs;
import dev.segrel.core.port.out.Outbox;
import dev.segrel.core.port.out.TaskClaims;
import dev.segrel.core.port.out.TaskCompletions;
import dev.segrel.core.port.out.TaskReads;
import dev.segrel.core.port.out.TaskRecovery;

/** A task store's ports over one state, with the outbox its completions go to: what its contract suites test. */
public record TaskStorePorts(Jobs jobs, TaskClaims claims, TaskCompletions completions, TaskRecovery recovery,
        TaskReads reads, Outbox outbox, Batches batches) {

    public TaskStorePorts {
        requireNonNull(jobs, "jobs is null");
        requireNonNull(claims, "claims is null");
        requireNonNull(completions, "completions is null");
        requireNonNull(recovery, "recovery is null");
        requireNonNull(reads, "reads is null");
        requireNonNull(outbox, "outbox is null");
        requireNonNull(batches, "batches is null");
    }
}
