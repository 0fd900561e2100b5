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
 * saw happen, and the queue's depth as the {@link DepthSampler} saw it, for {@link QueueStats}. Thread-safe;
 * recording is a few additions under a lock held briefly.
 */
final class Throughput implements RunListener {

    static final int MINUTES = 15;

    private final Clock clock;
    private final Bucket[] buckets = new Bucket[MINUTES];

    Throughput(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void started(ClaimedTask task, Duration sinceDue, Duration sinceClaim) {
        Bucket bucket = current();
        bucket.started++;
        bucket.sinceDue.add(sinceDue);
        bucket.sinceClaim.add(sinceClaim);
    }

    @Override
    public synchronized void finished(ClaimedTask task, TaskRunner.Outcome outcome, Duration took) {
        switch (outcome) {
            case SUCCEEDED -> current().succeeded++;
            case RETRYING, FAILED -> current().failed++;
            case LOST, ABANDONED, SNOOZED, RELEASED, CANCELLED, EXPIRED, COMPLETING -> { } // neither a success nor a failure
        }
    }

    /** A sample of the queue's depth: {@code due} tasks waited for a worker, over all queues. */
    synchronized void sampledDepth(long due) {
        Bucket bucket = current();
        bucket.mostDue = Math.max(bucket.mostDue == null ? 0 : bucket.mostDue, due);
    }

    /** @return the last minutes, oldest first, the current minute last */
    public synchronized List<QueueStats.Minute> recent() {
        Instant now = minute(clock.instant());
        List<QueueStats.Minute> minutes = new ArrayList<>();
        for (int back = MINUTES - 1; back >= 0; back--) {
            Instant start = now.minus(back, ChronoUnit.MINUTES);
            Bucket bucket = buckets[index(start)];
            minutes.add(bucket != null && bucket.start.equals(start) ? bucket.view()
                    : new QueueStats.Minute(start, 0, 0, 0, QueueStats.Wait.NONE, QueueStats.Wait.NONE, null));
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
        final WaitSum sinceDue = new WaitSum();
        final WaitSum sinceClaim = new WaitSum();
        long succeeded;
        long failed;
        long started;
        Long mostDue;

        Bucket(Instant start) {
            this.start = start;
        }

        QueueStats.Minute view() {
            return new QueueStats.Minute(start, succeeded, failed, started, sinceDue.view(), sinceClaim.view(),
                    mostDue);
        }
    }

    /** Mean and maximum of the waits of one minute. */
    private static final class WaitSum {
        long count;
        long totalNanos;
        long maxNanos;

        void add(Duration wait) {
            long nanos = wait.toNanos();
            count++;
            totalNanos += nanos;
            maxNanos = Math.max(maxNanos, nanos);
        }

        QueueStats.Wait view() {
            return new QueueStats.Wait(Duration.ofNanos(count == 0 ? 0 : totalNanos / count), Duration.ofNanos(maxNanos));
        }
    }
}
