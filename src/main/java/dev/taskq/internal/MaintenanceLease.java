package dev.taskq.internal;

import java.time.Duration;
import java.util.List;

/**
 * Which node runs the cluster's maintenance, the dirty check and the pruner: the one that holds this lease, a row of
 * {@code taskq_lease} that its holder renews every {@link #RENEW_EVERY} and that lapses {@link #TERM} after the last
 * renewal, so their cost does not grow with the number of nodes, and another node takes over when the holder stops
 * or dies. A graceful stop gives the lease up at once.
 *
 * <p>Times are the database's own ({@code now()}), so nodes' clocks do not matter. A holder that loses the database
 * stops counting itself the holder once its last renewal is older than the term less one renewal, before another
 * node can take the lease: two nodes never both believe they hold it.
 */
final class MaintenanceLease {

    static final String NAME = "maintenance";
    static final Duration RENEW_EVERY = Duration.ofSeconds(5);
    static final Duration TERM = Duration.ofSeconds(15);

    private final Transactions transactions;
    private final String node;
    private volatile long heldUntilNanos = System.nanoTime();
    private volatile boolean held;

    MaintenanceLease(Transactions transactions, String node) {
        this.transactions = transactions;
        this.node = node;
    }

    /**
     * Takes the lease if it is free or lapsed, or renews it if this node holds it.
     *
     * @return whether this node holds it now
     */
    boolean renew() {
        long asked = System.nanoTime();
        List<?> holder = transactions.requiresNew(em -> em.createNativeQuery("""
                        insert into taskq_lease (name, holder, expires_at)
                        values (:name, :node, now() + cast(:term as interval))
                        on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
                        where taskq_lease.holder = excluded.holder or taskq_lease.expires_at < now()
                        returning holder""")
                .setParameter("name", NAME)
                .setParameter("node", node)
                .setParameter("term", TERM.toMillis() + " milliseconds")
                .getResultList());
        held = !holder.isEmpty();
        if (held) {
            heldUntilNanos = asked + TERM.minus(RENEW_EVERY).toNanos();
        }
        return held;
    }

    /** @return whether this node holds the lease, by its last renewal */
    boolean isHeld() {
        return held && System.nanoTime() - heldUntilNanos < 0;
    }

    /** Gives the lease up, if this node holds it, so another node takes it at its next renewal. */
    void release() {
        held = false;
        transactions.requiresNew(em -> em.createNativeQuery(
                        "delete from taskq_lease where name = :name and holder = :node")
                .setParameter("name", NAME)
                .setParameter("node", node)
                .executeUpdate());
    }
}
