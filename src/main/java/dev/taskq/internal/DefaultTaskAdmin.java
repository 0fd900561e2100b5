package dev.taskq.internal;

import dev.taskq.Task;
import dev.taskq.TaskAdmin;
import dev.taskq.TaskFilter;
import dev.taskq.TaskGroup;
import dev.taskq.PeriodicSchedule;
import dev.taskq.QueueStats;
import dev.taskq.RunningLimits;
import dev.taskq.TaskQueueException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/** The {@link TaskAdmin}: each action in a transaction of its own, bulk actions one batch per transaction. */
final class DefaultTaskAdmin implements TaskAdmin {

    private static final System.Logger LOG = System.getLogger(DefaultTaskAdmin.class.getName());

    private final AdminStore store = new AdminStore();
    private final Transactions transactions;
    private final Duration dirtyThreshold;
    private final Clock clock;
    private final Supplier<List<QueueStats.Minute>> recentMinutes;
    private final Runnable pausesChanged;
    private final LongConsumer cancelRequested;
    private final ScheduleAdmin schedules;
    private final RunningLimits limits;

    /**
     * @param transactions   how to reach the database
     * @param dirtyThreshold where ACTIVE ends and DIRTY begins, as the workers judge it
     * @param clock          the time groups are judged at
     * @param recentMinutes  this node's recent throughput (empty where it runs no worker)
     * @param pausesChanged  told after this admin paused or resumed a queue
     * @param cancelRequested told, after the commit, of a running task this admin asked to stop
     * @param schedules      the application's periodic schedules
     * @param limits         the limits on tasks running at once, as this node is configured
     */
    DefaultTaskAdmin(Transactions transactions, Duration dirtyThreshold, Clock clock,
            Supplier<List<QueueStats.Minute>> recentMinutes, Runnable pausesChanged, LongConsumer cancelRequested,
            Schedules schedules, RunningLimits limits) {
        this.limits = limits;
        this.cancelRequested = cancelRequested;
        this.transactions = transactions;
        this.schedules = new ScheduleAdmin(schedules, transactions, clock);
        this.pausesChanged = pausesChanged;
        this.dirtyThreshold = dirtyThreshold;
        this.clock = clock;
        this.recentMinutes = recentMinutes;
    }

    @Override
    public QueueStats stats() {
        Instant now = clock.instant();
        return transactions.requiresNew(em -> new QueueStats(now,
                store.queues(em, now, now.minus(dirtyThreshold), AdminStore.pausedQueues(em)),
                store.runningByNode(em), recentMinutes.get()));
    }

    @Override
    public RunningLimits limits() {
        return limits;
    }

    @Override
    public List<Task> list(TaskGroup group, TaskFilter filter, int offset, int limit) {
        requireGroup(group);
        if (offset < 0 || limit < 1 || limit > 1_000) {
            throw new TaskQueueException("list needs an offset of 0 or more and a limit from 1 to 1000, but got "
                    + "offset " + offset + " and limit " + limit + ".");
        }
        Instant now = clock.instant();
        return transactions.requiresNew(em -> store.list(em, group, orAll(filter), offset, limit, now,
                now.minus(dirtyThreshold)));
    }

    @Override
    public long count(TaskGroup group, TaskFilter filter) {
        requireGroup(group);
        Instant now = clock.instant();
        return transactions.requiresNew(em -> store.count(em, group, orAll(filter), now, now.minus(dirtyThreshold)));
    }

    @Override
    public Optional<Task> find(long id) {
        return Optional.ofNullable(transactions.requiresNew(em -> em.find(Task.class, id)));
    }

    @Override
    public boolean retry(long id) {
        Instant now = clock.instant();
        return logged("retried", transactions.requiresNew(em -> store.retry(em, id, now,
                now.minus(dirtyThreshold))));
    }

    @Override
    public boolean cancel(long id, String by) {
        if (by == null || by.isBlank() || by.length() > 100) {
            throw new TaskQueueException("cancel needs who cancels as 1 to 100 characters (it is shown with the task), "
                    + "but got " + (by == null ? "null" : "'" + by + "'") + ".");
        }
        Instant now = clock.instant();
        Optional<AdminStore.Cancelled> cancelled = transactions.requiresNew(em -> store.cancel(em, id, by, now,
                now.minus(dirtyThreshold)));
        cancelled.ifPresent(done -> {
            if (done.ended()) {
                LOG.log(Level.INFO, "Task {0} cancelled by {1}", done.task(), by);
            } else {
                LOG.log(Level.INFO, "Task {0} cancelled by {1} while it runs: its worker is asked to stop it",
                        done.task(), by);
                cancelRequested.accept(id);
            }
        });
        return cancelled.isPresent();
    }

    @Override
    public boolean delete(long id) {
        return logged("deleted", transactions.requiresNew(em -> store.delete(em, id)));
    }

    @Override
    public int retryAll(TaskGroup group, TaskFilter filter) {
        requireGroup(group);
        if (group != TaskGroup.FAILED && group != TaskGroup.DIRTY && group != TaskGroup.CANCELLED) {
            throw new TaskQueueException("Only FAILED, CANCELLED and DIRTY tasks can be retried, but the group was "
                    + group + ".");
        }
        return inBatches("retried", group, em -> {
            Instant now = clock.instant();
            return store.retryBatch(em, group, orAll(filter), now, now.minus(dirtyThreshold));
        });
    }

    @Override
    public int deleteAll(TaskGroup group, TaskFilter filter) {
        requireGroup(group);
        return inBatches("deleted", group, em -> {
            Instant now = clock.instant();
            return store.deleteBatch(em, group, orAll(filter), now, now.minus(dirtyThreshold));
        });
    }

    @Override
    public void pause(String queue) {
        QueueNames.require("pause", queue);
        transactions.requiresNew(em -> {
            store.pause(em, queue, clock.instant());
            return null;
        });
        pausesChanged.run();
        LOG.log(Level.INFO, "Queue {0} paused: no node claims its tasks until it is resumed", queue);
    }

    @Override
    public void resume(String queue) {
        QueueNames.require("resume", queue);
        transactions.requiresNew(em -> {
            store.resume(em, queue);
            return null;
        });
        pausesChanged.run();
        LOG.log(Level.INFO, "Queue {0} resumed", queue);
    }

    @Override
    public Set<String> pausedQueues() {
        return transactions.requiresNew(AdminStore::pausedQueues);
    }

    /** Short transactions, so a large purge never holds thousands of row locks at once. */
    private int inBatches(String action, TaskGroup group,
            Function<jakarta.persistence.EntityManager, Integer> batch) {
        int total = 0;
        for (int done = transactions.requiresNew(batch); done > 0; done = transactions.requiresNew(batch)) {
            total += done;
        }
        int touched = total;
        LOG.log(Level.INFO, () -> "Admin " + action + " " + touched + " " + group + " task(s)");
        return total;
    }

    private static boolean logged(String action, Optional<TaskRef> task) {
        task.ifPresent(ref -> LOG.log(Level.INFO, "Task {0} {1} by the admin", ref, action));
        return task.isPresent();
    }

    private static void requireGroup(TaskGroup group) {
        Objects.requireNonNull(group, "group: pass one of " + List.of(TaskGroup.values()));
    }

    private static TaskFilter orAll(TaskFilter filter) {
        return filter == null ? TaskFilter.all() : filter;
    }

    @Override
    public java.util.Map<String, java.util.Map<TaskGroup, Long>> countsByName() {
        Instant now = clock.instant();
        return transactions.requiresNew(em -> store.byName(em, now, now.minus(dirtyThreshold)));
    }

    @Override
    public List<PeriodicSchedule> schedules() {
        return schedules.list();
    }

    @Override
    public void pauseSchedule(String name) {
        schedules.pause(name, true);
        LOG.log(Level.INFO, "Periodic schedule {0} paused", name);
    }

    @Override
    public void resumeSchedule(String name) {
        schedules.pause(name, false);
        LOG.log(Level.INFO, "Periodic schedule {0} resumed", name);
    }
}
