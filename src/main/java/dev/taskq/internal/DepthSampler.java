package dev.taskq.internal;

import java.time.Clock;
import java.time.Duration;

/**
 * Samples the queue's depth, the tasks due and waiting over all queues, into this node's {@link Throughput}, so the
 * admin page can draw the last minutes of it from the moment it opens. Any node may run it; in a server it runs
 * every {@link #INTERVAL} on the managed scheduler, worker or not.
 */
public final class DepthSampler {

    /** How often a server samples. */
    public static final Duration INTERVAL = Duration.ofSeconds(10);

    private final TaskStore store;
    private final Transactions transactions;
    private final Throughput throughput;
    private final Clock clock;

    DepthSampler(TaskStore store, Transactions transactions, Throughput throughput, Clock clock) {
        this.store = store;
        this.transactions = transactions;
        this.throughput = throughput;
        this.clock = clock;
    }

    /** @return the due tasks counted */
    public long runOnce() {
        long due = transactions.requiresNew(em -> store.countDue(em, clock.instant()));
        throughput.sampledDepth(due);
        return due;
    }
}
