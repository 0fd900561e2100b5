package dev.taskq;

import java.time.Instant;

/**
 * A periodic schedule of the application ({@link Periodic}) as the admin shows it.
 *
 * @param name     its name, unique in the application
 * @param taskName the handler whose tasks it enqueues
 * @param cron     its cron expression
 * @param zone     the time zone the expression is read in
 * @param queue    the queue its tasks go to
 * @param missed   what slots that no node enqueued in time become
 * @param lastSlot the latest slot taken for the cluster (its task enqueued, or passed over while paused or missed);
 *                 null before the first
 * @param lastTask the id of the task enqueued for {@code lastSlot}, null if none was
 * @param nextSlot the next slot to come, null if the expression has no more
 * @param pausedAt when a person paused it for every node, null while it runs
 */
public record PeriodicSchedule(String name, String taskName, String cron, String zone, String queue,
        Periodic.Missed missed, Instant lastSlot, Long lastTask, Instant nextSlot, Instant pausedAt) {

    /** @return whether it is paused: its slots pass without a task */
    public boolean paused() {
        return pausedAt != null;
    }
}
