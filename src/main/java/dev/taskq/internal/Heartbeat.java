package dev.taskq.internal;

import java.time.Clock;

/** Keeps this node's running tasks alive: one UPDATE per beat for all of them. */
final class Heartbeat {

    private final TaskStore store;
    private final Transactions transactions;
    private final RunningTasks running;
    private final Clock clock;

    Heartbeat(TaskStore store, Transactions transactions, RunningTasks running, Clock clock) {
        this.store = store;
        this.transactions = transactions;
        this.running = running;
        this.clock = clock;
    }

    /** @return how many task rows were refreshed */
    public int runOnce() {
        var beat = running.snapshot();
        return beat.isEmpty() ? 0 : transactions.requiresNew(em -> store.touchRunning(em, beat, clock.instant()));
    }
}
