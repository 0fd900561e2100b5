package dev.taskq.internal;

import java.lang.System.Logger.Level;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells the other nodes that due tasks were committed: {@code NOTIFY taskq, '<queue>'}, heard by each node's
 * {@link CommitListener}.
 *
 * <p>Sent after the commit, from a transaction of its own, never inside the enqueuer's: a {@code NOTIFY} in a
 * transaction makes PostgreSQL refuse its two-phase {@code PREPARE}, which a JTA transaction with a second resource
 * needs, and a rolled-back enqueue must wake nobody anyway. Coalesced, because every {@code NOTIFY} takes a
 * cluster-wide lock through its commit: one statement at a time per node, each for every queue committed since the
 * last, at most one per {@link #SPACING_MILLIS}; the first after a quiet spell goes at once.
 */
final class CommitNotifier {

    private static final System.Logger LOG = System.getLogger(CommitNotifier.class.getName());
    static final String CHANNEL = "taskq";
    /** The payload that says a person cancelled a running task; no queue name has a {@code #}. */
    static final String CANCELLED = "#cancel";
    static final long SPACING_MILLIS = 10;

    private final Transactions transactions;
    private final Set<String> pending = new LinkedHashSet<>();
    private volatile ScheduledExecutorService sender;
    private boolean scheduled;
    private long lastSentNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(SPACING_MILLIS);

    CommitNotifier(Transactions transactions) {
        this.transactions = transactions;
    }

    /**
     * Sends from now on, on {@code scheduler}; until this is called, and after it is called with null, committed
     * queues are only woken on this node.
     */
    void sendOn(ScheduledExecutorService scheduler) {
        sender = scheduler;
    }

    /** A transaction that enqueued due tasks of {@code queue} (or {@link #CANCELLED} a task) has committed. */
    void committed(String queue) {
        ScheduledExecutorService scheduler = sender;
        if (scheduler == null) {
            return;
        }
        synchronized (this) {
            pending.add(queue);
            if (scheduled) {
                return;
            }
            scheduled = true;
            long wait = Math.max(0, lastSentNanos + TimeUnit.MILLISECONDS.toNanos(SPACING_MILLIS) - System.nanoTime());
            try {
                scheduler.schedule(this::send, wait, TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) { // the scheduler is shut down: the application is stopping
                scheduled = false;
            }
        }
    }

    private void send() {
        List<String> queues;
        synchronized (this) {
            queues = List.copyOf(pending);
            pending.clear();
            lastSentNanos = System.nanoTime();
        }
        try {
            transactions.requiresNew(em -> {
                for (String queue : queues) { // delivered when this transaction commits
                    em.createNativeQuery("select 1 from pg_notify(:channel, :queue)")
                            .setParameter("channel", CHANNEL).setParameter("queue", queue).getSingleResult();
                }
                return null;
            });
        } catch (RuntimeException e) {
            // Only the other nodes' wake-up is late: they find the tasks at their next poll.
            LOG.log(Level.DEBUG, "Could not notify the other nodes of tasks committed to " + queues, e);
        } finally {
            synchronized (this) {
                scheduled = false;
                if (!pending.isEmpty()) {
                    committed(pending.iterator().next());
                }
            }
        }
    }
}
