package dev.taskq.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * The one clock of TaskQ in an application: the database's. Every node reads the time that ETAs, claims and
 * heartbeats compare across nodes from PostgreSQL ({@link #sync}: a {@code clock_timestamp()} every few seconds,
 * carried forward by the JVM's monotonic clock in between), so the nodes' own clocks may be wrong by any amount.
 * Until the first answer it is the node's wall clock.
 *
 * <p>Only in a test deployment may it be moved forward, so that delayed tasks and back-offs come due without
 * waiting; in production it cannot be moved.
 */
public final class TaskClock extends Clock {

    /** An answer slower than this could misalign the clock more than it corrects it, once it has been aligned. */
    static final Duration SLOWEST_SYNC = Duration.ofMillis(100);

    private final boolean movable;
    private final Clock wall;
    private volatile Duration offset = Duration.ZERO;
    private volatile Sample sample;

    /** The database's time, read when {@link System#nanoTime()} was {@code nanos}. */
    private record Sample(Instant database, long nanos) {
    }

    private TaskClock(boolean movable, Clock wall) {
        this.movable = movable;
        this.wall = wall;
    }

    /** @return the database's clock, which nothing can move */
    public static TaskClock system() {
        return new TaskClock(false, Clock.systemUTC());
    }

    /** @return the database's clock, which a test may move forward */
    public static TaskClock movable() {
        return new TaskClock(true, Clock.systemUTC());
    }

    /** @return the database's clock, {@code wall} until its first {@link #sync}: for tests of a node's wrong clock */
    public static TaskClock withWallClock(Clock wall) {
        return new TaskClock(false, wall);
    }

    /**
     * Aligns this clock with the database's, whose time {@code databaseNow} reads; the answer is taken as the time
     * halfway through the round trip.
     *
     * @throws RuntimeException what {@code databaseNow} threw: the clock stays as it was
     */
    public void sync(Supplier<Instant> databaseNow) {
        long before = System.nanoTime();
        Instant database = databaseNow.get();
        long roundTrip = System.nanoTime() - before;
        if (sample == null || roundTrip <= SLOWEST_SYNC.toNanos()) {
            sample = new Sample(database, before + roundTrip / 2);
        }
    }

    /** @return whether this clock has the database's time, rather than the node's own */
    public boolean isSynced() {
        return sample != null;
    }

    /**
     * Moves TaskQ's time forward.
     *
     * @throws IllegalStateException outside a test deployment
     */
    public void advance(Duration duration) {
        if (!movable) {
            throw new IllegalStateException("TaskQ's clock moves only in a test deployment: set "
                    + "taskq.testing.enabled=true in the test's configuration");
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("The clock only moves forward, but was asked to move by " + duration);
        }
        offset = offset.plus(duration);
    }

    @Override
    public Instant instant() {
        Sample aligned = sample;
        Instant now = aligned == null ? wall.instant()
                : aligned.database().plusNanos(System.nanoTime() - aligned.nanos());
        return movable ? now.plus(offset) : now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("TaskQ works in UTC");
    }
}
