package dev.taskq.internal;

import dev.taskq.TaskState;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Retention: deletes SUCCEEDED tasks kept longer than {@code taskq.retention.succeeded} (counted from the end of
 * their unique key's period, for a key that holds a while after its task succeeded), and FAILED and CANCELLED
 * tasks older than {@code taskq.retention.failed} when one is set, in small batches so it never holds many locks.
 */
public final class Pruner {

    private static final System.Logger LOG = System.getLogger(Pruner.class.getName());
    static final int BATCH = 1_000;

    private final TaskStore store;
    private final Transactions transactions;
    private final WorkerSettings settings;
    private final Clock clock;

    Pruner(TaskStore store, Transactions transactions, WorkerSettings settings, Clock clock) {
        this.store = store;
        this.transactions = transactions;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * @param succeeded SUCCEEDED tasks deleted
     * @param failed    FAILED and CANCELLED tasks deleted
     */
    public record Pruned(int succeeded, int failed) {
    }

    /** @return what this round deleted */
    public Pruned runOnce() {
        Instant now = clock.instant();
        int succeeded = prune(TaskState.SUCCEEDED, now.minus(settings.succeededRetention()));
        Duration failedRetention = settings.failedRetention();
        // Cancelled tasks are kept like failed ones: their count is part of the failed one.
        int failed = failedRetention != null ? prune(TaskState.FAILED, now.minus(failedRetention))
                + prune(TaskState.CANCELLED, now.minus(failedRetention)) : 0;
        if (succeeded + failed > 0) {
            LOG.log(Level.INFO, "Pruned {0} succeeded and {1} failed or cancelled task(s) past their retention", succeeded, failed);
        }
        return new Pruned(succeeded, failed);
    }

    private int prune(TaskState state, Instant finishedBefore) {
        int total = 0;
        for (int deleted = BATCH; deleted == BATCH; total += deleted) {
            deleted = transactions.requiresNew(em -> store.pruneFinished(em, state, finishedBefore, BATCH));
        }
        return total;
    }
}
