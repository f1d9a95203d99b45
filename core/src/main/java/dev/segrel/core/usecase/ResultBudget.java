package dev.segrel.core.usecase;

import java.util.concurrent.Semaphore;

/**
 * How many segments' results a worker holds in memory at once, across every message it handles: a
 * set is computed only once its segments have room, and gives the room back once its results are
 * stored. A set larger than the whole budget is processed in parts of the budget's size. Fair, so
 * that a large set is not starved by small ones. Thread-safe.
 */
final class ResultBudget {

    /** Bytes a held result is assumed to take (a segment reaching a few dozen manifestations). */
    static final long ASSUMED_RESULT_BYTES = 64 * 1024;
    static final int MIN_DEFAULT = 64;
    static final int MAX_DEFAULT = 8_192;

    private final int size;
    private final Semaphore room;
    private volatile boolean stopped;

    ResultBudget(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("the result budget must be >= 1, was " + size);
        }
        this.size = size;
        this.room = new Semaphore(size, true);
    }

    /** A quarter of the heap, at {@link #ASSUMED_RESULT_BYTES} a result, within [64, 8192]. */
    static int defaultFor(long maxHeapBytes) {
        long fits = maxHeapBytes / 4 / ASSUMED_RESULT_BYTES;
        return (int) Math.max(MIN_DEFAULT, Math.min(MAX_DEFAULT, fits));
    }

    int size() {
        return size;
    }

    /** Waits for room for {@code n} results (at most {@link #size()}); false, holding nothing, once stopped. */
    boolean acquire(int n) throws InterruptedException {
        if (stopped) {
            return false;
        }
        room.acquire(n);
        if (stopped) {
            room.release(n);
            return false;
        }
        return true;
    }

    /**
     * Shutdown: wakes every waiter, which then finds the budget stopped and takes nothing; holders give
     * their room back as usual. The room is flooded rather than the waiters interrupted, so that no
     * running set is disturbed.
     */
    synchronized void stop() {
        if (!stopped) {
            stopped = true;
            room.release(Integer.MAX_VALUE / 2);
        }
    }

    void release(int n) {
        room.release(n);
    }

    /** Room free now (metrics and tests). */
    int available() {
        return room.availablePermits();
    }
}
