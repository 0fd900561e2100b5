package dev.taskq.internal;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Finds dirty tasks (RUNNING, heartbeat older than the threshold) and applies the dirty policy. Any node may
 * run it at any time; concurrent runs are safe (see {@link TaskStore#requeueDirty}).
 */
public final class Rescuer {

    private static final System.Logger LOG = System.getLogger(Rescuer.class.getName());

    private final TaskStore store;
    private final Transactions transactions;
    private final Duration threshold;
    private final DirtyPolicy policy;
    private final Clock clock;
    private long lastDirtyCount;

    Rescuer(TaskStore store, Transactions transactions, WorkerSettings settings, Clock clock) {
        this.store = store;
        this.transactions = transactions;
        this.threshold = settings.dirtyThreshold();
        this.policy = settings.dirtyPolicy();
        this.clock = clock;
    }

    /** @return how many dirty tasks were requeued and failed (both 0 under {@link DirtyPolicy#KEEP}) */
    public TaskStore.DirtyOutcome runOnce() {
        Instant now = clock.instant();
        Instant staleBefore = now.minus(threshold);
        if (policy == DirtyPolicy.REQUEUE) {
            TaskStore.DirtyOutcome outcome = transactions.requiresNew(em -> store.requeueDirty(em, staleBefore, now));
            if (outcome.requeued() + outcome.failed() > 0) {
                LOG.log(Level.WARNING, "Requeued {0} dirty task(s) and failed {1} that had no attempts left "
                        + "(no heartbeat for {2})", outcome.requeued(), outcome.failed(), threshold);
            }
            return outcome;
        }
        long dirty = transactions.requiresNew(em -> store.countDirty(em, staleBefore));
        if (dirty > 0 && dirty != lastDirtyCount) {
            LOG.log(Level.WARNING, "{0} task(s) are dirty (no heartbeat for {1}); the dirty policy is keep, so they "
                    + "wait for a person to retry or delete them", dirty, threshold);
        }
        lastDirtyCount = dirty;
        return new TaskStore.DirtyOutcome(0, 0);
    }
}
