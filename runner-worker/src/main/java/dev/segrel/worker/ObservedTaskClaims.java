package dev.segrel.worker;

import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.port.out.TaskClaims;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The store's {@link TaskClaims}, counting in {@link WorkerMetrics} the claims that took a task over
 * from an expired lease (a worker died or stalled while holding it). Every call goes to the store
 * unchanged, the set forms included, so the store's one-statement claims stay one statement.
 */
final class ObservedTaskClaims implements TaskClaims {

    private final TaskClaims store;
    private final WorkerMetrics metrics;

    ObservedTaskClaims(TaskClaims store, WorkerMetrics metrics) {
        this.store = requireNonNull(store, "store is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    @Override
    public ClaimResult claim(TaskKey key, Span spanHint, String owner, Instant now, Duration leaseFor) {
        return counted(store.claim(key, spanHint, owner, now, leaseFor));
    }

    @Override
    public List<ClaimResult> claimAll(List<ClaimRequest> requests, String owner, Instant now, Duration leaseFor) {
        List<ClaimResult> results = store.claimAll(requests, owner, now, leaseFor);
        results.forEach(this::counted);
        return results;
    }

    private ClaimResult counted(ClaimResult result) {
        if (result instanceof Claimed claimed && claimed.task().takeover()) {
            metrics.takeover();
        }
        return result;
    }

    @Override
    public Creation create(TaskKey key, String manifestationId, Span span, Instant now) {
        return store.create(key, manifestationId, span, now);
    }

    @Override
    public Optional<SpanlessTask> claimWithoutSpan(TaskKey key, String owner, Instant now, Duration leaseFor) {
        return store.claimWithoutSpan(key, owner, now, leaseFor);
    }

    @Override
    public boolean extend(Lease lease, Instant newExpiry) {
        return store.extend(lease, newExpiry);
    }

    @Override
    public boolean release(Lease lease, Instant now) {
        return store.release(lease, now);
    }

    @Override
    public List<Lease> extendAll(Collection<Lease> leases, Instant newExpiry) {
        return store.extendAll(leases, newExpiry);
    }

    @Override
    public int releaseAll(Collection<Lease> leases, Instant now) {
        return store.releaseAll(leases, now);
    }

    @Override
    public String toString() {
        return "ObservedTaskClaims[" + store + "]";
    }
}
