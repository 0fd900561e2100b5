package dev.taskq.internal;

import java.time.Clock;
import java.util.List;

/** Claims due tasks for this node, one batch per transaction, and gives back the ones it will not run. */
public final class Claimer {

    private final TaskStore store;
    private final Transactions transactions;
    private final RunningTasks running;
    private final WorkerSettings settings;
    private final Clock clock;

    Claimer(TaskStore store, Transactions transactions, RunningTasks running, WorkerSettings settings, Clock clock) {
        this.store = store;
        this.transactions = transactions;
        this.running = running;
        this.settings = settings;
        this.clock = clock;
    }

    /** @return the tasks claimed, at most one batch; they are RUNNING on this node once this returns */
    public List<ClaimedTask> runOnce() {
        List<ClaimedTask> claimed = transactions.requiresNew(em -> store.claimDue(em, settings.queues(),
                clock.instant(), settings.batchSize(), settings.nodeId()));
        claimed.forEach(running::add);
        return claimed;
    }

    /** Gives back claimed tasks that never started: PENDING again, their attempt not counted. */
    public void release(List<ClaimedTask> unstarted) {
        try {
            transactions.requiresNew(em -> unstarted.stream().filter(task -> store.release(em, task)).count());
        } finally {
            unstarted.forEach(running::remove);
        }
    }
}
