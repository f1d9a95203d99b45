package dev.segrel.core.usecase;

import dev.segrel.core.domain.Mapping;
import dev.segrel.core.domain.Segment;
import dev.segrel.core.port.out.TaskCompletions.Ending;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes of computed results a worker holds in memory at once, across every set it handles. A set
 * reserves each result's size once it is computed: {@link #tryReserve} never waits, and a set whose
 * reservation fails while it holds results stores them and releases their bytes first; only a set
 * holding nothing waits ({@link #reserve}). Holders never wait, so waiters always see them release:
 * no deadlock. A result larger than the whole budget reserves the whole budget. Thread-safe.
 */
final class ResultBytes {

    /** Smallest default budget: a small heap still holds a few ordinary results. */
    static final long MIN_DEFAULT = 16L * 1024 * 1024;

    private final long size;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private long held;
    private long peak;
    private int waiting;

    ResultBytes(long size) {
        if (size < 1) {
            throw new IllegalArgumentException("the result byte budget must be >= 1, was " + size);
        }
        this.size = size;
    }

    /** A quarter of the heap, at least {@link #MIN_DEFAULT}. */
    static long defaultFor(long maxHeapBytes) {
        return Math.max(MIN_DEFAULT, maxHeapBytes / 4);
    }

    long size() {
        return size;
    }

    /**
     * Reserves {@code bytes} (at most {@link #size()}) if they fit now and nobody waits; returns the
     * bytes reserved, or -1 (nothing reserved). Waiters go first so a holder that keeps trying cannot
     * starve them.
     */
    long tryReserve(long bytes) {
        long ask = ask(bytes);
        lock.lock();
        try {
            if (waiting > 0 || held + ask > size) {
                return -1;
            }
            take(ask);
            return ask;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code bytes} (at most {@link #size()}) fit; returns the bytes reserved. Call holding nothing. */
    long reserve(long bytes) throws InterruptedException {
        long ask = ask(bytes);
        lock.lock();
        try {
            waiting++;
            try {
                while (held + ask > size) {
                    freed.await();
                }
            } finally {
                waiting--;
            }
            take(ask);
            return ask;
        } finally {
            lock.unlock();
        }
    }

    void release(long bytes) {
        if (bytes <= 0) {
            return;
        }
        lock.lock();
        try {
            held -= bytes;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes reserved now (metrics and tests). */
    long held() {
        lock.lock();
        try {
            return held;
        } finally {
            lock.unlock();
        }
    }

    /** The most bytes ever reserved at once (tests of the bound). */
    long peak() {
        lock.lock();
        try {
            return peak;
        } finally {
            lock.unlock();
        }
    }

    private long ask(long bytes) {
        return Math.min(size, Math.max(1, bytes));
    }

    private void take(long ask) {
        held += ask;
        peak = Math.max(peak, held);
    }

    /**
     * An upper bound of an ending's stored size: the UTF-8 bytes of its result's JSON
     * ({@code {"manifestation_id":…,"segments":[{"segment_id":…,"span":{"start":…,"end":…}}]}}) or of
     * its error, without encoding it.
     */
    static long sizeOf(Ending ending) {
        if (ending.result() == null) {
            return 64 + 3L * ending.error().length();
        }
        long bytes = 2;
        List<Mapping> result = ending.result();
        for (Mapping mapping : result) {
            bytes += 40 + 3L * mapping.manifestationId().length();
            for (Segment segment : mapping.segments()) {
                // 46 bytes of keys and punctuation, two ints of at most 10 digits, the id
                bytes += 70 + 3L * segment.id().length();
            }
        }
        return bytes;
    }
}
