package dev.taskq.internal;

import dev.taskq.QueueStats;
import dev.taskq.TaskGroup;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The queues' stats for gauges and the depth chart, taken by one node for all: the holder of the
 * {@link MaintenanceLease} {@linkplain #take() takes} them every {@link #INTERVAL} into {@code taskq_stats}, and
 * every node {@linkplain #latest() reads} those few rows, so that the scans of the task table do not grow with the
 * number of nodes. Where no node has taken them within {@link #FRESH} (no worker runs anywhere, or the holder just
 * died), a node takes them for itself.
 */
public final class ClusterStats {

    /** How often the lease holder takes the stats, and how often a server's gauges and depth chart read them. */
    public static final Duration INTERVAL = Duration.ofSeconds(10);
    /** How old the stats may be before a node stops trusting them and takes its own. */
    static final Duration FRESH = INTERVAL.multipliedBy(3);

    private static final List<TaskGroup> COLUMNS = List.of(TaskGroup.values());
    /** The column of each group, named as the group. */
    private static final List<String> COLUMN_NAMES = COLUMNS.stream()
            .map(group -> group.name().toLowerCase(java.util.Locale.ROOT)).toList();

    private final AdminStore store = new AdminStore();
    private final Transactions transactions;
    private final Duration dirtyThreshold;
    private final Clock clock;
    private final String node;

    ClusterStats(Transactions transactions, Duration dirtyThreshold, Clock clock, String node) {
        this.transactions = transactions;
        this.dirtyThreshold = dirtyThreshold;
        this.clock = clock;
        this.node = node;
    }

    /** Takes the stats from the task table and keeps them for every node; run by the lease holder. */
    public void take() {
        transactions.requiresNew(em -> {
            Instant now = clock.instant();
            List<QueueStats.Queue> queues = store.queues(em, now, now.minus(dirtyThreshold), Set.of());
            for (QueueStats.Queue queue : queues) { // an update in place of each row, which needs no vacuum
                var upsert = em.createNativeQuery("""
                        insert into taskq_stats (queue, future, pending, active, dirty, failed, succeeded, cancelled,
                                                 oldest_due, taken_at, taken_by)
                        values (:queue, :future, :pending, :active, :dirty, :failed, :succeeded, :cancelled,
                                :oldestDue, :takenAt, :node)
                        on conflict (queue) do update set future = excluded.future, pending = excluded.pending,
                            active = excluded.active, dirty = excluded.dirty, failed = excluded.failed,
                            succeeded = excluded.succeeded, cancelled = excluded.cancelled,
                            oldest_due = excluded.oldest_due,
                            taken_at = excluded.taken_at, taken_by = excluded.taken_by""")
                        .setParameter("queue", queue.name())
                        // the take's instant where none is due
                        .setParameter("oldestDue", TaskStore.utc(now.minus(queue.oldestPending())))
                        .setParameter("takenAt", TaskStore.utc(now))
                        .setParameter("node", node);
                for (int i = 0; i < COLUMNS.size(); i++) {
                    upsert.setParameter(COLUMN_NAMES.get(i), queue.groups().get(COLUMNS.get(i)));
                }
                upsert.executeUpdate();
            }
            return em.createNativeQuery("delete from taskq_stats where taken_at < :takenAt") // queues now empty
                    .setParameter("takenAt", TaskStore.utc(now))
                    .executeUpdate();
        });
    }

    /** @return the latest stats of every queue, as the lease holder took them, or taken now where none are fresh */
    public List<QueueStats.Queue> latest() {
        return transactions.requiresNew(em -> {
            Instant now = clock.instant();
            Set<String> paused = AdminStore.pausedQueues(em);
            List<QueueStats.Queue> kept = read(em, now, paused);
            return kept.isEmpty() ? store.queues(em, now, now.minus(dirtyThreshold), paused) : kept;
        });
    }

    private List<QueueStats.Queue> read(EntityManager em, Instant now, Set<String> paused) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select queue, " + String.join(", ", COLUMN_NAMES)
                        + ", oldest_due from taskq_stats where taken_at >= :freshAfter")
                .setParameter("freshAfter", TaskStore.utc(now.minus(FRESH)))
                .getResultList();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, Map<TaskGroup, Long>> counts = new HashMap<>();
        Map<String, Instant> oldestDue = new HashMap<>();
        for (Object[] row : rows) {
            String queue = (String) row[0];
            Map<TaskGroup, Long> groups = new EnumMap<>(TaskGroup.class);
            for (int i = 0; i < COLUMNS.size(); i++) {
                groups.put(COLUMNS.get(i), ((Number) row[1 + i]).longValue());
            }
            counts.put(queue, groups);
            Instant oldest = AdminStore.instant(row[1 + COLUMNS.size()]); // the take's instant where none was due
            if (groups.get(TaskGroup.PENDING) > 0 && oldest.isBefore(now)) {
                oldestDue.put(queue, oldest);
            }
        }
        return AdminStore.queueStats(counts, oldestDue, paused, now);
    }

}
