package dev.segrel.bench;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One row of the benchmark: items run by {@code workers} threads, wall time and per-item latency.
 *
 * @param name what was measured
 * @param items how many items (segments) ran
 * @param seconds wall time of all of them
 * @param p50Millis median latency of one item
 * @param p99Millis 99th percentile latency of one item
 * @param roundTripsPerItem database queries per item, or -1 when not counted
 */
public record Measurement(String name, int items, double seconds, double p50Millis, double p99Millis,
        double roundTripsPerItem) {

    public double perSecond() {
        return seconds <= 0 ? 0 : items / seconds;
    }

    public Measurement withRoundTrips(long roundTrips) {
        return new Measurement(name, items, seconds, p50Millis, p99Millis, items == 0 ? 0 : (double) roundTrips / items);
    }

    /** Runs {@code action} on every item with {@code workers} threads; latency per item, wall time overall. */
    public static <T> Measurement of(String name, List<T> items, int workers, Consumer<T> action) throws Exception {
        long[] latencies = new long[items.size()];
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
            Future<?>[] running = new Future<?>[workers];
            for (int w = 0; w < workers; w++) {
                running[w] = pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < items.size(); i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        action.accept(items.get(i));
                        latencies[i] = System.nanoTime() - t0;
                    }
                    return null;
                });
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Arrays.sort(latencies);
        return new Measurement(name, items.size(), seconds, percentile(latencies, 0.50), percentile(latencies, 0.99), -1);
    }

    static double percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, i))] / 1e6;
    }
}
