package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.Backoff;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Exponential back-off, capped, with the upper half jittered. */
class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10));

    @Test
    void theCeilingDoublesPerAttemptUpToTheCap() {
        assertEquals(Duration.ofSeconds(1), backoff.ceiling(1));
        assertEquals(Duration.ofSeconds(2), backoff.ceiling(2));
        assertEquals(Duration.ofSeconds(512), backoff.ceiling(10));
        assertEquals(Duration.ofMinutes(10), backoff.ceiling(11));
        assertEquals(Duration.ofMinutes(10), backoff.ceiling(1_000), "no overflow for late attempts");
    }

    @Test
    void theDelayIsDrawnFromTheUpperHalfAndSpreadsOut() {
        SplittableRandom random = new SplittableRandom(42);
        long distinct = java.util.stream.IntStream.range(0, 1_000).mapToObj(i -> backoff.delayAfter(4, random))
                .peek(delay -> assertTrue(delay.compareTo(Duration.ofSeconds(4)) >= 0
                        && delay.compareTo(Duration.ofSeconds(8)) <= 0, delay.toString()))
                .distinct().count();
        assertTrue(distinct > 900, "jitter spreads retries: " + distinct + " distinct delays of 1,000");
    }

    @Test
    void aZeroBaseRetriesAtOnce() {
        assertEquals(Duration.ZERO, new Backoff(Duration.ZERO, Duration.ZERO).delayAfter(5, new SplittableRandom()));
    }

    @Test
    void boundsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)));
    }
}
