package dev.taskq.internal;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds dirty tasks (RUNNING, heartbeat older than the threshold) and applies the dirty policy. Any node may
 * run it at any time; concurrent runs are safe (see {@link DirtyStore#requeueDirty}).
 */
public final class Rescuer {

    private static final System.Logger LOG = System.getLogger(Rescuer.class.getName());

    /** How many dirty tasks a check of the keep policy names, oldest heartbeat first; past that it counts them. */
    static final int LISTED_PER_CHECK = 100;

    private final DirtyStore store = new DirtyStore();
    private final Transactions transactions;
    private final Duration threshold;
    private final DirtyPolicy policy;
    private final Clock clock;
    private Set<Long> reported = Set.of();
    private long reportedTotal;

    Rescuer(Transactions transactions, WorkerSettings settings, Clock clock) {
        this.transactions = transactions;
        this.threshold = settings.dirtyThreshold();
        this.policy = settings.dirtyPolicy();
        this.clock = clock;
    }

    /**
     * Applies the policy once, logging one line per task it finds dirty: under {@link DirtyPolicy#REQUEUE} each
     * task it requeues or fails; under {@link DirtyPolicy#KEEP} each task the first time it is seen dirty.
     *
     * @return how many dirty tasks were requeued and failed (both 0 under {@link DirtyPolicy#KEEP})
     */
    public synchronized DirtyStore.DirtyOutcome runOnce() {
        Instant now = clock.instant();
        Instant staleBefore = now.minus(threshold);
        if (policy == DirtyPolicy.REQUEUE) {
            List<DirtyStore.Rescued> rescued = transactions.requiresNew(em -> store.requeueDirty(em, staleBefore, now));
            int requeued = 0;
            for (DirtyStore.Rescued task : rescued) {
                if (task.requeued()) {
                    requeued++;
                    LOG.log(Level.WARNING, "Task {0} is dirty (no heartbeat for {1}): requeued, the lost attempt "
                            + "counts", task.task(), threshold);
                } else if (task.state() == dev.taskq.TaskState.CANCELLED) {
                    LOG.log(Level.WARNING, "Task {0} is dirty (no heartbeat for {1}) and was cancelled: CANCELLED",
                            task.task(), threshold);
                } else {
                    LOG.log(Level.ERROR, "Task {0} is dirty (no heartbeat for {1}) and had no attempts left: "
                            + "FAILED", task.task(), threshold);
                }
            }
            return new DirtyStore.DirtyOutcome(requeued, rescued.size() - requeued);
        }
        List<TaskRef> dirty = transactions.requiresNew(em -> store.findDirty(em, staleBefore, LISTED_PER_CHECK));
        Set<Long> seen = new HashSet<>();
        for (TaskRef task : dirty) {
            seen.add(task.id());
            if (!reported.contains(task.id())) {
                LOG.log(Level.WARNING, "Task {0} is dirty (no heartbeat for {1}); the dirty policy is keep, so it "
                        + "waits for a person to retry or delete it", task, threshold);
            }
        }
        reported = seen; // only the tasks still dirty: one that is retried and dirty again is named again
        if (dirty.size() == LISTED_PER_CHECK) {
            long total = transactions.requiresNew(em -> store.countDirty(em, staleBefore));
            if (total != reportedTotal) {
                LOG.log(Level.WARNING, "{0} tasks are dirty in all; the {1} with the oldest heartbeats are named "
                        + "above", total, LISTED_PER_CHECK);
            }
            reportedTotal = total;
        } else {
            reportedTotal = 0;
        }
        return new DirtyStore.DirtyOutcome(0, 0);
    }
}
