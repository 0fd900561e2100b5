package dev.taskq.internal;

import dev.taskq.QueueStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * This node's recent work, per minute, kept in memory for the last {@value #MINUTES} minutes: what the runner
 * saw happen, for {@link QueueStats}. Thread-safe; recording is a few additions under a lock held briefly.
 */
public final class Throughput {

    static final int MINUTES = 15;

    private final Clock clock;
    private final Bucket[] buckets = new Bucket[MINUTES];

    Throughput(Clock clock) {
        this.clock = clock;
    }

    /** A task started, {@code latency} after it became due. */
    synchronized void started(Duration latency) {
        Bucket bucket = current();
        bucket.started++;
        long nanos = Math.max(0, latency.toNanos());
        bucket.latencyNanos += nanos;
        bucket.maxLatencyNanos = Math.max(bucket.maxLatencyNanos, nanos);
    }

    synchronized void succeeded() {
        current().succeeded++;
    }

    synchronized void failed() {
        current().failed++;
    }

    /** @return the last minutes, oldest first, the current minute last */
    public synchronized List<QueueStats.Minute> recent() {
        Instant now = minute(clock.instant());
        List<QueueStats.Minute> minutes = new ArrayList<>();
        for (int back = MINUTES - 1; back >= 0; back--) {
            Instant start = now.minus(back, ChronoUnit.MINUTES);
            Bucket bucket = buckets[index(start)];
            minutes.add(bucket != null && bucket.start.equals(start) ? bucket.view()
                    : new QueueStats.Minute(start, 0, 0, 0, Duration.ZERO, Duration.ZERO));
        }
        return minutes;
    }

    private Bucket current() {
        Instant start = minute(clock.instant());
        int index = index(start);
        if (buckets[index] == null || !buckets[index].start.equals(start)) {
            buckets[index] = new Bucket(start);
        }
        return buckets[index];
    }

    private static Instant minute(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MINUTES);
    }

    private static int index(Instant minute) {
        return (int) Math.floorMod(minute.getEpochSecond() / 60, (long) MINUTES);
    }

    private static final class Bucket {
        final Instant start;
        long succeeded;
        long failed;
        long started;
        long latencyNanos;
        long maxLatencyNanos;

        Bucket(Instant start) {
            this.start = start;
        }

        QueueStats.Minute view() {
            return new QueueStats.Minute(start, succeeded, failed, started,
                    Duration.ofNanos(started == 0 ? 0 : latencyNanos / started), Duration.ofNanos(maxLatencyNanos));
        }
    }
}
