package dev.taskq.internal;

import java.time.Clock;
import java.util.List;
import java.util.Set;

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

    /**
     * @return the tasks claimed from the node's queues that are not paused, at most one batch; they are RUNNING
     *         on this node once this returns
     */
    public List<ClaimedTask> runOnce() {
        List<ClaimedTask> claimed = transactions.requiresNew(em -> {
            Set<String> paused = AdminStore.pausedQueues(em);
            List<String> queues = paused.isEmpty() ? settings.queues()
                    : settings.queues().stream().filter(queue -> !paused.contains(queue)).toList();
            return queues.isEmpty() ? List.<ClaimedTask>of()
                    : store.claimDue(em, queues, clock.instant(), settings.batchSize(), settings.nodeId());
        });
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
