package dev.taskq.internal;

import static dev.taskq.internal.TaskStore.arrayLiteral;
import static dev.taskq.internal.TaskStore.onTasks;
import static dev.taskq.internal.TaskStore.utc;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.hibernate.jpa.HibernateHints;

/** The claim's SQL, beside {@link TaskStore}'s for the rest of an attempt: lock due tasks, mark them RUNNING. */
final class ClaimStore {

    /** JPA's lock timeout value that Hibernate renders as {@code SKIP LOCKED}. */
    static final int SKIP_LOCKED = -2;

    /**
     * Claims up to {@code limit} due tasks of {@code queues} for attempt {@code attempt + 1} on {@code node}: as
     * {@link #lockDue} then {@link #markClaimed}.
     */
    public List<ClaimedTask> claimDue(EntityManager em, Collection<String> queues, Instant now, int limit,
            String node, Runnable metPausedQueue) {
        return markClaimed(em, lockDue(em, queues, now, limit, Set.of(), Set.of()), now, node, metPausedQueue);
    }

    /**
     * Locks up to {@code limit} due tasks of {@code queues}, none named in {@code excludedNames} nor one of
     * {@code excludedIds}, for this transaction. The select locks with {@code FOR NO KEY UPDATE SKIP LOCKED}: rows
     * another claimer holds are skipped, not waited for. Ordered as the partial index {@code taskq_task_claim} is, so
     * the scan stops after {@code limit} rows. It reads two columns ({@link LockedTask}), no entity.
     * Follow-on locking is disabled: should the query ever need it, Hibernate must fail rather than return rows it
     * did not lock.
     */
    public List<LockedTask> lockDue(EntityManager em, Collection<String> queues, Instant now, int limit,
            Set<String> excludedNames, Set<Long> excludedIds) {
        TypedQuery<LockedTask> select = em.createQuery(LockedTask.SELECT + """
                         from Task t
                        where t.state = dev.taskq.TaskState.PENDING and %s%s%s and t.eta <= :now
                        order by t.priority desc, t.eta, t.id""".formatted(queueCondition(queues.size()),
                        nameExclusion(excludedNames.size()), excludedIds.isEmpty() ? "" : " and t.id not in :ids"),
                LockedTask.class);
        int index = 0;
        for (String queue : queues) {
            select.setParameter("q" + index++, queue);
        }
        index = 0;
        for (String name : excludedNames) {
            select.setParameter("n" + index++, name);
        }
        if (!excludedIds.isEmpty()) {
            select.setParameter("ids", excludedIds);
        }
        return select
                .setParameter("now", now)
                .setMaxResults(limit)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .setHint(HibernateHints.HINT_FOLLOW_ON_LOCKING, false)
                .getResultList();
    }

    /**
     * Makes the locked {@code due} tasks RUNNING in one bulk update, except those of a queue paused meanwhile,
     * which stay PENDING and make this call {@code metPausedQueue}. The update returns what their runs need.
     *
     * @return the tasks made RUNNING, in the order of {@code due}
     */
    public List<ClaimedTask> markClaimed(EntityManager em, List<LockedTask> due, Instant now, String node,
            Runnable metPausedQueue) {
        if (due.isEmpty()) {
            return List.of();
        }
        // Plain JDBC (see PlainJdbc), with the ids as one array. Rows of a queue paused since the caller looked stay
        // PENDING (their locks end with the transaction).
        List<Long> ids = new ArrayList<>(due.size());
        due.forEach(task -> ids.add(task.id()));
        List<ClaimedTask> updated = PlainJdbc.query(em, """
                        update taskq_task set state = 'RUNNING', attempt = attempt + 1, started_at = ?, alive_at = ?,
                                              worker = ?
                        where id = any(cast(? as bigint[]))
                          and queue not in (select p.queue from taskq_queue_pause p)
                        returning id, queue, name, args, attempt, max_attempts, eta, created_at, expires_at""",
                row -> new ClaimedTask(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getInt(5), row.getInt(6), PlainJdbc.instant(row, 7), now, PlainJdbc.instant(row, 8),
                        PlainJdbc.instant(row, 9)),
                now, now, node, arrayLiteral(ids));
        Map<Long, ClaimedTask> marked = new HashMap<>(2 * updated.size());
        updated.forEach(task -> marked.put(task.id(), task));
        if (marked.size() < due.size()) {
            metPausedQueue.run();
        }
        List<ClaimedTask> claimed = new ArrayList<>(marked.size());
        for (LockedTask task : due) {
            ClaimedTask running = marked.get(task.id());
            if (running != null) {
                claimed.add(running);
            }
        }
        return claimed;
    }

    private static String nameExclusion(int names) {
        return names == 0 ? "" : IntStream.range(0, names).mapToObj(i -> ":n" + i)
                .collect(Collectors.joining(", ", " and t.name not in (", ")"));
    }

    /**
     * One named parameter per queue, never a list parameter: Hibernate translates a query with a list parameter to
     * SQL again at every execution, but keeps the SQL of this one per number of queues.
     */
    private static String queueCondition(int queues) {
        return queues == 1 ? "t.queue = :q0" : IntStream.range(0, queues).mapToObj(i -> ":q" + i)
                .collect(Collectors.joining(", ", "t.queue in (", ")"));
    }

    /**
     * Gives back the tasks of one claim of {@code node}, named by its instant (see {@link Claimer}): PENDING again,
     * and the attempt that never started is not counted.
     *
     * @return how many tasks it gave back
     */
    public int releaseClaim(EntityManager em, String node, Instant claimedAt) {
        return onTasks(em, """
                        update taskq_task set state = 'PENDING', attempt = attempt - 1, started_at = null,
                                              alive_at = null, worker = null
                        where state = 'RUNNING' and worker = :node and started_at = cast(:claimedAt as timestamptz)""")
                .setParameter("node", node)
                .setParameter("claimedAt", utc(claimedAt))
                .executeUpdate();
    }
}
