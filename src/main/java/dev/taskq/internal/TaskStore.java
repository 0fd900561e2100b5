package dev.taskq.internal;

import dev.taskq.Task;
import dev.taskq.TaskState;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.hibernate.jpa.HibernateHints;
import org.hibernate.query.NativeQuery;

/**
 * The one home of every statement TaskQ runs against {@code taskq_task}. Each method works in the transaction
 * of the entity manager it is given. Updates of a RUNNING row always match its attempt number, so a worker
 * that lost its task (rescued after its heartbeat stopped) can never overwrite the attempt that replaced it.
 *
 * <p>States in predicates are written as literals, never bound: once PostgreSQL switches a prepared statement to
 * its generic plan, a partial index ({@code where state = 'PENDING'}) can only serve a predicate that names the
 * same literal; {@code state = ?} would turn the claim into a sequential scan and sort of the whole table.
 */
final class TaskStore {

    /** JPA's lock timeout value that Hibernate renders as {@code SKIP LOCKED}. */
    static final int SKIP_LOCKED = -2;

    /**
     * Adds a task. The id comes from the sequence at once, and the insert is sent with the transaction's next
     * flush, batched with its neighbours when Hibernate batching is on.
     *
     * @return the new task's id
     */
    public long insert(EntityManager em, Task task) {
        em.persist(task);
        return task.getId();
    }

    /**
     * Claims up to {@code limit} due tasks of {@code queues} for attempt {@code attempt + 1} on {@code node}.
     * The select locks with {@code FOR NO KEY UPDATE SKIP LOCKED}: rows another claimer holds are skipped, not
     * waited for. Ordered as the partial index {@code taskq_task_claim} is, so the scan stops after
     * {@code limit} rows. Follow-on locking is disabled: should the query ever need it, Hibernate must fail
     * rather than return rows it did not lock. The rows become RUNNING in one bulk update, except those of a queue
     * paused meanwhile, which stay PENDING and make this call {@code metPausedQueue}.
     */
    public List<ClaimedTask> claimDue(EntityManager em, Collection<String> queues, Instant now, int limit,
            String node, Runnable metPausedQueue) {
        TypedQuery<Task> select = em.createQuery("""
                        select t from Task t
                        where t.state = dev.taskq.TaskState.PENDING and %s and t.eta <= :now
                        order by t.priority desc, t.eta, t.id""".formatted(queueCondition(queues.size())), Task.class);
        int index = 0;
        for (String queue : queues) {
            select.setParameter("q" + index++, queue);
        }
        List<Task> due = select
                .setParameter("now", now)
                .setMaxResults(limit)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .setHint(HibernateHints.HINT_FOLLOW_ON_LOCKING, false)
                .setHint(HibernateHints.HINT_READ_ONLY, true) // no snapshots to keep and compare at the flush
                .getResultList();
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
                .setParameter("ids", arrayLiteral(due.stream().map(Task::getId).toList()))
                .getResultList());
        if (marked.size() < due.size()) {
            metPausedQueue.run();
        }
        return due.stream()
                .filter(t -> marked.contains(t.getId()))
                .map(t -> new ClaimedTask(t.getId(), t.getQueue(), t.getName(), t.getArgs(), t.getAttempt() + 1,
                        t.getMaxAttempts(), t.getEta(), now, t.getCreatedAt(), t.getExpiresAt()))
                .toList();
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
     * Completes an attempt: deletes the row, or keeps it as SUCCEEDED with the handler's result. Runs in the
     * handler's transaction, so the handler's writes and the completion commit together.
     *
     * @param result the handler's result as JSON, kept only with {@code keep}; may be {@code null}
     * @return false if the attempt no longer owns the row (it was rescued); the caller must then roll back
     */
    public boolean markSucceeded(EntityManager em, ClaimedTask task, Instant now, boolean keep, String result) {
        if (keep && result != null) {
            return onTasks(em, """
                            update taskq_task set state = 'SUCCEEDED', finished_at = cast(:now as timestamptz),
                                alive_at = cast(:now as timestamptz), result = cast(:result as jsonb)
                            where id = :id and attempt = :attempt and state = 'RUNNING'""")
                    .setParameter("now", now)
                    .setParameter("result", result)
                    .setParameter("id", task.id())
                    .setParameter("attempt", task.attempt())
                    .executeUpdate() == 1;
        }
        // Native: Hibernate translates an HQL update or delete again at every execution, and this runs per task.
        // A task whose unique key holds for a while after it succeeded is kept until then, whatever the retention.
        return !keep && onTasks(em, """
                        delete from taskq_task where id = :id and attempt = :attempt and state = 'RUNNING'
                          and (unique_until is null or unique_until <= cast(:now as timestamptz))""")
                        .setParameter("now", utc(now))
                        .setParameter("id", task.id())
                        .setParameter("attempt", task.attempt())
                        .executeUpdate() == 1
                || onTasks(em, """
                        update taskq_task set state = 'SUCCEEDED', finished_at = :now, alive_at = :now
                        where id = :id and attempt = :attempt and state = 'RUNNING'""")
                        .setParameter("now", utc(now))
                        .setParameter("id", task.id())
                        .setParameter("attempt", task.attempt())
                        .executeUpdate() == 1;
    }

    /**
     * Records a failed attempt: back to PENDING due at {@code retryAt}, or FAILED for good when
     * {@code retryAt} is null. The error stays on the row either way.
     *
     * @return false if the attempt no longer owns the row
     */
    public boolean recordFailure(EntityManager em, ClaimedTask task, String error, Instant retryAt, Instant now) {
        return endAttempt(em, task, retryAt != null ? TaskState.PENDING : TaskState.FAILED, error, retryAt, now);
    }

    /**
     * Ends an attempt whose handler stopped after a person cancelled the task: CANCELLED, with how it stopped.
     *
     * @return false if the attempt no longer owns the row
     */
    public boolean recordCancelled(EntityManager em, ClaimedTask task, String error, Instant now) {
        return endAttempt(em, task, TaskState.CANCELLED, error, null, now);
    }

    /**
     * Ends an attempt that came after the task's deadline before its handler ran: CANCELLED as expired, and the
     * attempt is not counted.
     *
     * @return false if the attempt no longer owns the row
     */
    public boolean recordExpired(EntityManager em, ClaimedTask task, Instant now) {
        return onTasks(em, """
                        update taskq_task set state = 'CANCELLED', attempt = attempt - 1, finished_at = :now,
                                              cancelled_at = :now, cancelled_by = :by, last_error = :error
                        where id = :id and attempt = :attempt and state = 'RUNNING'""")
                .setParameter("now", utc(now))
                .setParameter("by", dev.taskq.TaskOptions.EXPIRED_BY)
                .setParameter("error", "Expired: no attempt may start after its deadline, " + task.expiresAt()
                        + ", and this one came at " + now + ". Its handler did not run.")
                .setParameter("id", task.id())
                .setParameter("attempt", task.attempt())
                .executeUpdate() == 1;
    }

    private static boolean endAttempt(EntityManager em, ClaimedTask task, TaskState state, String error,
            Instant retryAt, Instant now) {
        return em.createQuery("""
                        update Task t set t.state = :state, t.eta = coalesce(:retryAt, t.eta), t.finishedAt = :finishedAt,
                                          t.lastError = :error
                        where t.id = :id and t.attempt = :attempt and t.state = dev.taskq.TaskState.RUNNING""")
                .setParameter("state", state)
                .setParameter("retryAt", retryAt)
                .setParameter("finishedAt", state == TaskState.PENDING ? null : now)
                .setParameter("error", error)
                .setParameter("id", task.id())
                .setParameter("attempt", task.attempt())
                .executeUpdate() == 1;
    }

    /**
     * Gives back a claimed task that never started (the worker is stopping): PENDING again, and the attempt
     * that did not run is not counted.
     */
    public boolean release(EntityManager em, ClaimedTask task) {
        return snooze(em, task, null);
    }

    /**
     * Ends an attempt that its handler snoozed: PENDING again, due at {@code eta} (unchanged if null), and the
     * attempt is not counted.
     */
    public boolean snooze(EntityManager em, ClaimedTask task, Instant eta) {
        return em.createQuery("""
                        update Task t set t.state = :pending, t.attempt = t.attempt - 1, t.startedAt = null,
                                          t.aliveAt = null, t.worker = null, t.eta = coalesce(:eta, t.eta)
                        where t.id = :id and t.attempt = :attempt and t.state = dev.taskq.TaskState.RUNNING""")
                .setParameter("pending", TaskState.PENDING)
                .setParameter("eta", eta)
                .setParameter("id", task.id())
                .setParameter("attempt", task.attempt())
                .executeUpdate() == 1;
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

    /**
     * The heartbeat: one statement refreshes {@code alive_at} of every (task, attempt) this node runs, and names
     * those a person has cancelled meanwhile. Native SQL because JPQL cannot join against a list of pairs; the pairs
     * travel as two array literals.
     *
     * @param running task id to attempt number
     * @return the rows refreshed, each with whether it was cancelled
     */
    public Map<Long, Boolean> touchRunning(EntityManager em, Map<Long, Integer> running, Instant now) {
        if (running.isEmpty()) {
            return Map.of();
        }
        List<Map.Entry<Long, Integer>> pairs = List.copyOf(running.entrySet());
        // SKIP LOCKED: a row locked now is being completed or taken over, and a heartbeat that waited for it while
        // holding the others could deadlock with a batch of completions that holds it and waits for them.
        List<?> rows = onTasks(em, """
                        with alive as (
                            select t.id from taskq_task t
                            join unnest(cast(:ids as bigint[]), cast(:attempts as int[])) as r(id, attempt)
                              on t.id = r.id and t.attempt = r.attempt
                            where t.state = 'RUNNING'
                            for no key update of t skip locked)
                        update taskq_task t set alive_at = :now from alive where t.id = alive.id
                        returning t.id, t.cancelled_at is not null""")
                .setParameter("now", utc(now))
                .setParameter("ids", arrayLiteral(pairs.stream().map(Map.Entry::getKey).toList()))
                .setParameter("attempts", arrayLiteral(pairs.stream().map(Map.Entry::getValue).toList()))
                .getResultList();
        Map<Long, Boolean> touched = new java.util.HashMap<>();
        rows.stream().map(Object[].class::cast)
                .forEach(row -> touched.put(((Number) row[0]).longValue(), (Boolean) row[1]));
        return touched;
    }

    /**
     * Deletes up to {@code limit} finished tasks of {@code state} that finished before {@code before}, skipping
     * rows someone holds (an admin acting on them). Served by the partial index {@code taskq_task_kept}.
     *
     * @return how many were deleted; the pruner calls again, in a new transaction, until none are left
     */
    public int pruneFinished(EntityManager em, TaskState state, Instant before, int limit) {
        if (state != TaskState.SUCCEEDED && state != TaskState.FAILED && state != TaskState.CANCELLED) {
            throw new IllegalArgumentException("Only finished tasks are pruned, not " + state);
        }
        return onTasks(em, """
                        delete from taskq_task where id in (
                            select id from taskq_task
                            where state = '%s' and finished_at < cast(:before as timestamptz)
                              and (unique_until is null or unique_until < cast(:before as timestamptz))
                            limit :limit for update skip locked)""".formatted(state.name()))
                .setParameter("before", utc(before))
                .setParameter("limit", limit)
                .executeUpdate();
    }

    /**
     * A native statement on the task table, synchronized with {@link Task}: before it Hibernate flushes only pending
     * tasks, and after it invalidates only their cache region, rather than flushing the whole persistence context
     * and evicting every region of the application's second-level cache, as it must for SQL it knows nothing of.
     */
    static Query onTasks(EntityManager em, String sql) {
        return em.createNativeQuery(sql).unwrap(NativeQuery.class).addSynchronizedEntityClass(Task.class);
    }

    /** As {@link #onTasks(EntityManager, String)}, for statements that return one column of {@code type}. */
    static <T> Query onTasks(EntityManager em, String sql, Class<T> type) {
        return em.createNativeQuery(sql, type).unwrap(NativeQuery.class).addSynchronizedEntityClass(Task.class);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static String arrayLiteral(List<? extends Number> numbers) {
        return numbers.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
    }
}
