package dev.taskq.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with jitter: before retry {@code n} (after failed attempt {@code n}) the delay is
 * {@code d = min(max, base * 2^(n-1))}, and the actual wait is uniformly drawn from {@code [d/2, d]}, so tasks
 * that failed together spread out instead of retrying in lockstep.
 *
 * @param base the delay before the first retry
 * @param max  the cap
 */
public record Backoff(Duration base, Duration max) {

    /** Validates the bounds. */
    public Backoff {
        if (base.isNegative() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("back-off needs 0 <= base <= max, but base was " + base
                    + " and max " + max);
        }
    }

    /** @return the longest delay this back-off gives after {@code failedAttempt} */
    public Duration ceiling(int failedAttempt) {
        int doublings = Math.min(Math.max(failedAttempt - 1, 0), 62);
        long baseNanos = base.toNanos();
        long maxNanos = max.toNanos();
        boolean overflows = baseNanos > 0 && doublings > Long.numberOfLeadingZeros(baseNanos) - 1;
        return Duration.ofNanos(overflows ? maxNanos : Math.min(maxNanos, baseNanos << doublings));
    }

    /** @return the delay before the retry that follows {@code failedAttempt}, jittered */
    public Duration delayAfter(int failedAttempt, RandomGenerator random) {
        long ceiling = ceiling(failedAttempt).toNanos();
        long half = ceiling / 2;
        return Duration.ofNanos(ceiling - half + (half == 0 ? 0 : random.nextLong(half + 1)));
    }
}
