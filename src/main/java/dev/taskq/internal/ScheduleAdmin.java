package dev.taskq.internal;

import dev.taskq.PeriodicSchedule;
import dev.taskq.TaskQueueException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The admin's view of the periodic schedules: their definitions here, their slots and pauses in the database. */
final class ScheduleAdmin {

    private final Schedules schedules;
    private final ScheduleStore store = new ScheduleStore();
    private final Transactions transactions;
    private final Clock clock;

    ScheduleAdmin(Schedules schedules, Transactions transactions, Clock clock) {
        this.schedules = schedules;
        this.transactions = transactions;
        this.clock = clock;
    }

    List<PeriodicSchedule> list() {
        if (schedules.all().isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        Map<String, ScheduleStore.Row> rows = transactions.requiresNew(store::all);
        return schedules.all().stream().map(schedule -> {
            ScheduleStore.Row row = Optional.ofNullable(rows.get(schedule.name()))
                    .orElse(new ScheduleStore.Row(null, null, null));
            Instant from = row.lastSlot() != null && row.lastSlot().isAfter(now) ? row.lastSlot() : now;
            return new PeriodicSchedule(schedule.name(), schedule.taskName(), schedule.cron(), schedule.zone().getId(),
                    schedule.queue(), schedule.missed(), row.lastSlot(), row.lastTask(), schedule.slots().after(from),
                    row.pausedAt());
        }).toList();
    }

    void pause(String name, boolean paused) {
        require(name);
        Instant now = clock.instant();
        transactions.requiresNew(em -> {
            store.pause(em, name, paused, now);
            return null;
        });
    }

    private void require(String name) {
        if (schedules.all().stream().noneMatch(schedule -> schedule.name().equals(name))) {
            throw new TaskQueueException("No periodic schedule named '" + name + "'. Known: "
                    + (schedules.all().isEmpty() ? "(none)"
                            : String.join(", ", schedules.all().stream().map(Schedule::name).sorted().toList()))
                    + ". A schedule is a @Periodic on a task handler, or one listed in " + Schedules.DECLARED + ".");
        }
    }
}
