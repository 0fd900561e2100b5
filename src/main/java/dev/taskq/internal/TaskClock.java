package dev.taskq.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The one clock of TaskQ in an application: the system clock. Only in a test deployment may it be moved
 * forward, so that delayed tasks and back-offs come due without waiting; in production it cannot be moved.
 */
public final class TaskClock extends Clock {

    private final boolean movable;
    private volatile Duration offset = Duration.ZERO;

    private TaskClock(boolean movable) {
        this.movable = movable;
    }

    /** @return the system clock, which nothing can move */
    public static TaskClock system() {
        return new TaskClock(false);
    }

    /** @return the system clock, which a test may move forward */
    public static TaskClock movable() {
        return new TaskClock(true);
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
        return movable ? Instant.now().plus(offset) : Instant.now();
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
