package dev.taskq.internal;

import dev.taskq.Periodic;
import java.time.ZoneId;

/**
 * One periodic schedule of the application, its annotation and settings checked and merged.
 *
 * @param name     unique in the application; names its row in {@code taskq_schedule}
 * @param taskName the handler whose tasks it enqueues
 * @param cron     the cron expression, as written
 * @param zone     the zone it is read in
 * @param slots    its slots
 * @param args     every task's arguments, read into the handler's type; null for none
 * @param queue    the queue its tasks go to
 * @param missed   what slots that no node enqueued in time become
 */
record Schedule(String name, String taskName, String cron, ZoneId zone, CronSlots slots, Object args, String queue,
        Periodic.Missed missed) {
}
