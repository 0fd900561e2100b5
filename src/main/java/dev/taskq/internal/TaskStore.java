package dev.taskq.internal;

import dev.taskq.Task;
import dev.taskq.TaskState;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.hibernate.query.NativeQuery;

/**
 * The statements of a task's life after its claim ({@link ClaimStore}) against {@code taskq_task}: its end
 * (success, failure, cancellation, expiry, a put-back), the heartbeat and the pruner; keyed enqueues are
 * {@link UniqueInsert}'s, the admin's {@link AdminStore}'s. Each method works in the transaction of the entity
 * manager it is given. Updates of a RUNNING row always match its attempt number, so a worker
 * that lost its task (rescued after its heartbeat stopped) can never overwrite the attempt that replaced it.
 *
 * <p>States in predicates are written as literals, never bound: once PostgreSQL switches a prepared statement to
 * its generic plan, a partial index ({@code where state = 'PENDING'}) can only serve a predicate that names the
 * same literal; {@code state = ?} would turn the claim into a sequential scan and sort of the whole table.
 */
final class TaskStore {

    /** The history of a task kept as SUCCEEDED, with its last attempt. */
    static final String SUCCEEDED_HISTORY = AttemptHistory.appended("'succeeded'", "null");

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
                                alive_at = cast(:now as timestamptz), result = cast(:result as jsonb), history = %s
                            where id = :id and attempt = :attempt and state = 'RUNNING'"""
                            .formatted(SUCCEEDED_HISTORY))
                    .setParameter("now", now)
                    .setParameter("result", result)
                    .setParameter("id", task.id())
                    .setParameter("attempt", task.attempt())
                    .executeUpdate() == 1;
        }
        // Plain JDBC: this runs for every task (see PlainJdbc). A task whose unique key holds for a while after it
        // succeeded is kept until then, whatever the retention.
        return !keep && PlainJdbc.update(em, """
                        delete from taskq_task where id = ? and attempt = ? and state = 'RUNNING'
                          and (unique_until is null or unique_until <= ?)""", task.id(), task.attempt(), now) == 1
                || onTasks(em, """
                        update taskq_task set state = 'SUCCEEDED', finished_at = :now, alive_at = :now, history = %s
                        where id = :id and attempt = :attempt and state = 'RUNNING'""".formatted(SUCCEEDED_HISTORY))
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
        boolean retry = state == TaskState.PENDING;
        String outcome = retry ? "retrying" : state.name().toLowerCase(java.util.Locale.ROOT);
        return onTasks(em, """
                        update taskq_task set state = :state,
                            eta = case when :retry then cast(:retryAt as timestamptz) else eta end,
                            finished_at = case when :retry then null else cast(:now as timestamptz) end,
                            last_error = :error, history = %s
                        where id = :id and attempt = :attempt and state = 'RUNNING'"""
                        .formatted(AttemptHistory.appended("'" + outcome + "'", "cast(:error as text)")))
                .setParameter("state", state.name())
                .setParameter("retry", retry)
                .setParameter("retryAt", utc(retry ? retryAt : now))
                .setParameter("now", utc(now))
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
        return putBack(em, task, null, null);
    }

    /**
     * Ends an attempt that its handler snoozed: PENDING again, due at {@code eta} (unchanged if null), and the
     * attempt is not counted.
     */
    public boolean snooze(EntityManager em, ClaimedTask task, Instant eta, Instant now) {
        return putBack(em, task, eta, now);
    }

    /** @param ranUntil when the handler that ran ended, for the task's history; null if it did not run */
    private static boolean putBack(EntityManager em, ClaimedTask task, Instant eta, Instant ranUntil) {
        boolean ran = ranUntil != null;
        var update = onTasks(em, """
                        update taskq_task set %s state = 'PENDING', attempt = attempt - 1, started_at = null,
                                              alive_at = null, worker = null,
                                              eta = case when :delayed then cast(:eta as timestamptz) else eta end
                        where id = :id and attempt = :attempt and state = 'RUNNING'"""
                        .formatted(ran ? "history = " + AttemptHistory.appended("'snoozed'", "null") + "," : ""))
                .setParameter("delayed", eta != null)
                .setParameter("eta", utc(eta != null ? eta : task.eta()))
                .setParameter("id", task.id())
                .setParameter("attempt", task.attempt());
        return (ran ? update.setParameter("now", utc(ranUntil)) : update).executeUpdate() == 1;
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

    /** @return {@code numbers} as a PostgreSQL array literal, {@code {1,2,3}}, for a parameter cast to an array */
    static String arrayLiteral(List<? extends Number> numbers) {
        StringBuilder literal = new StringBuilder(2 + 8 * numbers.size()).append('{');
        for (Number number : numbers) {
            literal.append(literal.length() > 1 ? "," : "").append(number);
        }
        return literal.append('}').toString();
    }
}
