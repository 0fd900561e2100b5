package dev.taskq.internal;

import dev.taskq.Periodic;
import dev.taskq.TaskOptions;
import dev.taskq.TaskQueue;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enqueues the tasks of the application's {@link Schedules}, one per slot for the whole cluster. Every node looks
 * when a slot comes; the first to lock the schedule's row in {@code taskq_schedule} enqueues the slot's task and
 * records the slot as taken, in one transaction, and the others then find it taken. A node killed midway commits
 * nothing, and the next node to look takes the slot.
 *
 * <p>A slot is on time while it is at most {@link #ON_TIME} old: its task is due at the slot, even when it comes
 * late (the node that was taking it was killed, or the database was away for a while). Older slots passed while no
 * node ran the schedule: they are missed, and follow the schedule's {@link Periodic.Missed} policy. The slots of a
 * paused schedule pass without a task. Times are the engine's clock, which in a deployment follows the
 * database's, so nodes agree on them.
 */
public final class PeriodicEnqueuer {

    private static final System.Logger LOG = System.getLogger(PeriodicEnqueuer.class.getName());
    /** How old a slot may be and still run as on time. */
    public static final Duration ON_TIME = Duration.ofMinutes(1);
    /** The longest a node waits between two looks, so that a schedule resumed elsewhere is seen within it. */
    static final Duration LONGEST_WAIT = Duration.ofMinutes(1);
    /** How many missed slots are counted one by one before the rest are passed over uncounted. */
    static final long MISSED_COUNTED = 100_000;
    /** How soon a look that failed (the database did not answer) is tried again. */
    static final Duration RETRY = Duration.ofSeconds(1);

    private final Schedules schedules;
    private final ScheduleStore store = new ScheduleStore();
    private final Transactions transactions;
    private final TaskQueue queue;
    private final Clock clock;
    /** The next slot of each schedule, as this node last saw it; absent until its first look. */
    private final Map<String, Instant> next = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> pending;

    PeriodicEnqueuer(Schedules schedules, Transactions transactions, TaskQueue queue, Clock clock) {
        this.schedules = schedules;
        this.transactions = transactions;
        this.queue = queue;
        this.clock = clock;
    }

    /** @return the schedules it enqueues for */
    Schedules schedules() {
        return schedules;
    }

    /** @return the next slot of {@code schedule} as this node last saw it, or null before its first look */
    public Instant nextSlot(String schedule) {
        return next.get(schedule);
    }

    /** Looks at once, then whenever a slot comes, on {@code scheduler}, until {@link #stop()}. */
    synchronized void startOn(ScheduledExecutorService scheduler) {
        if (schedules.all().isEmpty()) {
            return;
        }
        this.scheduler = scheduler;
        schedule(Duration.ZERO);
    }

    /** Stops looking. */
    synchronized void stop() {
        scheduler = null;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    private synchronized void schedule(Duration delay) {
        if (scheduler != null) {
            pending = scheduler.schedule(this::lookAndReschedule, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void lookAndReschedule() {
        Instant wake = runOnce();
        Duration delay = Duration.between(clock.instant(), wake);
        schedule(delay.isNegative() ? Duration.ZERO : delay);
    }

    /**
     * Looks at every schedule whose next slot has come, and at every schedule on the first call.
     *
     * @return when to look next: the earliest next slot, at most {@link #LONGEST_WAIT} from now
     */
    public Instant runOnce() {
        Instant now = clock.instant();
        Instant wake = now.plus(LONGEST_WAIT);
        for (Schedule schedule : schedules.all()) {
            Instant slot = next.get(schedule.name());
            if (slot == null || !slot.isAfter(now)) {
                try {
                    slot = look(schedule, now);
                    next.put(schedule.name(), slot);
                } catch (RuntimeException e) {
                    LOG.log(ConnectionLoss.is(e) ? Level.DEBUG : Level.WARNING, "TaskQ could not look at schedule "
                            + schedule.name() + "; looking again in " + RETRY.toMillis() + " ms", e);
                    slot = now.plus(RETRY);
                }
            }
            if (slot != null && slot.isBefore(wake)) {
                wake = slot;
            }
        }
        return wake;
    }

    /**
     * Takes the schedule's slots up to {@code now} that no node took: each on-time slot gets its task, due at the
     * slot; older ones are missed. A schedule that never took a slot starts with its latest on-time slot, if any.
     *
     * @return the schedule's next slot after those taken now, or null if it has none
     */
    private Instant look(Schedule schedule, Instant now) {
        return transactions.requiresNew(em -> {
            ScheduleStore.Row row = store.lock(em, schedule.name());
            CronSlots slots = schedule.slots();
            Instant onTimeFrom = now.minus(ON_TIME);
            List<Instant> onTime = new ArrayList<>();
            long missed = 0;
            Instant latest = null;
            for (Instant slot = slots.after(row.lastSlot() != null ? row.lastSlot() : onTimeFrom);
                    slot != null && !slot.isAfter(now); slot = slots.after(slot)) {
                latest = slot;
                if (!slot.isBefore(onTimeFrom)) {
                    onTime.add(slot);
                } else if (++missed == MISSED_COUNTED) { // down for long on a frequent schedule: stop counting
                    slot = onTimeFrom.minusSeconds(1);
                    latest = slot;
                }
            }
            if (row.lastSlot() == null && onTime.size() > 1) {
                onTime = List.of(onTime.get(onTime.size() - 1)); // a schedule without history starts with one slot
            }
            if (latest == null) {
                return slots.after(now);
            }
            Long task = null;
            if (!row.paused()) {
                for (Instant slot : onTime) {
                    task = enqueue(schedule, slot);
                }
                if (onTime.isEmpty() && schedule.missed() == Periodic.Missed.RUN_ONCE) {
                    task = enqueue(schedule, now);
                }
                if (missed > 0) {
                    LOG.log(Level.WARNING, "TaskQ schedule " + schedule.name() + " missed "
                            + (missed >= MISSED_COUNTED ? "at least " : "") + missed + " slot(s) "
                            + "before " + onTimeFrom + ", while no node ran it; " + (onTime.isEmpty() && task != null
                                    ? "running it once now, as its policy is run-once" : "they are skipped"));
                }
            }
            store.taken(em, schedule.name(), latest, task);
            return slots.after(latest);
        });
    }

    private long enqueue(Schedule schedule, Instant eta) {
        return queue.enqueue(schedule.taskName(), schedule.args(), TaskOptions.defaults().withQueue(schedule.queue())
                .withEta(eta));
    }
}
