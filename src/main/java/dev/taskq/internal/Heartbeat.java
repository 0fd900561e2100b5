package dev.taskq.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Keeps this node's running tasks alive: one UPDATE per beat for all of them, which also brings the cancellations
 * a person made meanwhile to their handlers.
 */
public final class Heartbeat {

    private final TaskStore store;
    private final Transactions transactions;
    private final RunningTasks running;
    private final Clock clock;
    private final Duration cancelGrace;

    Heartbeat(TaskStore store, Transactions transactions, RunningTasks running, Clock clock, Duration cancelGrace) {
        this.store = store;
        this.transactions = transactions;
        this.running = running;
        this.clock = clock;
        this.cancelGrace = cancelGrace;
    }

    /** @return how many task rows were refreshed */
    public int runOnce() {
        Instant now = clock.instant();
        Map<Long, Integer> beat = running.toKeepAlive(now, cancelGrace);
        if (beat.isEmpty()) {
            return 0;
        }
        Map<Long, Boolean> touched = transactions.requiresNew(em -> store.touchRunning(em, beat, now));
        touched.forEach((id, cancelled) -> {
            if (cancelled) {
                running.cancel(id, now);
            }
        });
        return touched.size();
    }
}
