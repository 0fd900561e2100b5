package dev.taskq.bench;

import java.util.Arrays;

/** Rates and medians, the benchmark's only arithmetic. */
final class Rates {

    private Rates() {
    }

    /** @return {@code count} per second since {@code startNanos} */
    static double perSecond(int count, long startNanos) {
        return count / ((System.nanoTime() - startNanos) / 1e9);
    }

    /** @return the median of {@code values} (the upper one of an even count) */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** @return the value below which {@code fraction} of {@code values} lie (nearest rank) */
    static double percentile(double[] values, double fraction) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
