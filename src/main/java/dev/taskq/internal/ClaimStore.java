package dev.taskq.internal;

import static dev.taskq.internal.TaskStore.arrayLiteral;
import static dev.taskq.internal.TaskStore.onTasks;
import static dev.taskq.internal.TaskStore.utc;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
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
     * the scan stops after {@code limit} rows. It reads only the columns a run needs ({@link DueTask}), no entity.
     * Follow-on locking is disabled: should the query ever need it, Hibernate must fail rather than return rows it
     * did not lock.
     */
    public List<DueTask> lockDue(EntityManager em, Collection<String> queues, Instant now, int limit,
            Set<String> excludedNames, Set<Long> excludedIds) {
        TypedQuery<DueTask> select = em.createQuery(DueTask.SELECT + """
                         from Task t
                        where t.state = dev.taskq.TaskState.PENDING and %s%s%s and t.eta <= :now
                        order by t.priority desc, t.eta, t.id""".formatted(queueCondition(queues.size()),
                        nameExclusion(excludedNames.size()), excludedIds.isEmpty() ? "" : " and t.id not in :ids"),
                DueTask.class);
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
     * which stay PENDING and make this call {@code metPausedQueue}.
     */
    public List<ClaimedTask> markClaimed(EntityManager em, List<DueTask> due, Instant now, String node,
            Runnable metPausedQueue) {
        if (due.isEmpty()) {
            return List.of();
        }
        // Native, with the ids as one array: an HQL "in :ids" is translated again for every count of ids. Rows of a
        // queue paused since the caller looked stay PENDING (their locks end with the transaction).
        @SuppressWarnings("unchecked")
        Set<Long> marked = new HashSet<>(onTasks(em, """
                        update taskq_task set state = 'RUNNING', attempt = attempt + 1, started_at = :now,
                                              alive_at = :now, worker = :node
                        where id = any(cast(:ids as bigint[]))
                          and queue not in (select p.queue from taskq_queue_pause p)
                        returning id""", Long.class)
                .setParameter("now", utc(now))
                .setParameter("node", node)
                .setParameter("ids", arrayLiteral(due.stream().map(DueTask::id).toList()))
                .getResultList());
        if (marked.size() < due.size()) {
            metPausedQueue.run();
        }
        return due.stream().filter(task -> marked.contains(task.id())).map(task -> task.claimed(now)).toList();
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
