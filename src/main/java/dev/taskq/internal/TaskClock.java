package dev.taskq.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The one clock of TaskQ in an application: the system clock, which tests may move forward so that delayed
 * tasks and back-offs come due without waiting.
 */
public final class TaskClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    /** Moves TaskQ's time forward (tests only). */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("The clock only moves forward, but was asked to move by " + duration);
        }
        offset = offset.plus(duration);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
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
