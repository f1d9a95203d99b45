package dev.segrel.core.domain;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Segments sorted by start then id, held as parallel arrays (no object per segment), with a running
 * maximum of their ends, so that the segments overlapping a span are found by one binary search and
 * a backward scan that stops as soon as no earlier segment can reach the span: {@code O(log n + k)}
 * for well-behaved segmentations. Immutable.
 */
final class SegmentIntervals {

    static final SegmentIntervals EMPTY = new SegmentIntervals(new Segment[0]);

    private final String[] ids;
    private final int[] starts;
    private final int[] ends;
    private final int[] maxEndUpTo;

    /** @param sorted segments already sorted by start then id */
    SegmentIntervals(Segment[] sorted) {
        int n = sorted.length;
        ids = new String[n];
        starts = new int[n];
        ends = new int[n];
        maxEndUpTo = new int[n];
        int max = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            ids[i] = sorted[i].id();
            starts[i] = sorted[i].span().start();
            ends[i] = sorted[i].span().end();
            max = Math.max(max, ends[i]);
            maxEndUpTo[i] = max;
        }
    }

    int size() {
        return ids.length;
    }

    /** A new {@link Segment} for index {@code i}. */
    Segment get(int i) {
        return Segment.of(ids[i], starts[i], ends[i]);
    }

    String id(int i) {
        return ids[i];
    }

    /**
     * Calls {@code action} with the index of every segment overlapping {@code [start, end)}, in
     * descending index order.
     */
    void forEachOverlapping(int start, int end, IntConsumer action) {
        // first index whose start is >= end: nothing from there on can overlap
        int hi = firstStartAtLeast(end);
        for (int i = hi - 1; i >= 0 && maxEndUpTo[i] > start; i--) {
            if (ends[i] > start) {
                action.accept(i);
            }
        }
    }

    private int firstStartAtLeast(int value) {
        int lo = 0;
        int hi = starts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    Segment[] segments() {
        Segment[] out = new Segment[ids.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentIntervals other && Arrays.equals(ids, other.ids) && Arrays.equals(starts, other.starts)
                && Arrays.equals(ends, other.ends);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids) * 31 + Arrays.hashCode(starts);
    }
}
