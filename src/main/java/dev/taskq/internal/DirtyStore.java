package dev.taskq.internal;

import dev.taskq.TaskState;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/**
 * The dirty check's SQL: RUNNING tasks whose heartbeat stopped, served by the partial index
 * {@code taskq_task_running}.
 */
public final class DirtyStore {

    /**
     * Requeues dirty tasks (RUNNING, no heartbeat since {@code staleBefore}): PENDING now if attempts are
     * left, else FAILED; CANCELLED if a person cancelled them, since a cancelled task must not run again. The attempt that was lost still counts. The rows are taken with {@code SKIP LOCKED}, so
     * several nodes rescuing at once split them without waiting for or deadlocking on each other, and a row
     * whose worker is completing it right now is left to that worker. Native SQL: JPQL has no locking subquery.
     *
     * @return the tasks rescued, each with its state now
     */
    public List<Rescued> requeueDirty(EntityManager em, Instant staleBefore, Instant now) {
        String error = "Dirty: the worker's heartbeat stopped (no heartbeat since before " + staleBefore
                + "); the attempt was abandoned and counts as failed.";
        List<?> rows = TaskStore.onTasks(em, """
                        with dirty as (
                            select id, attempt < max_attempts and cancelled_at is null as retry,
                                   cancelled_at is not null as cancelled from taskq_task
                            where state = 'RUNNING' and alive_at < cast(:staleBefore as timestamptz)
                            for no key update skip locked)
                        update taskq_task t
                        set state = case when dirty.cancelled then 'CANCELLED'
                                         when dirty.retry then 'PENDING' else 'FAILED' end,
                            eta = case when dirty.retry then cast(:now as timestamptz) else t.eta end,
                            finished_at = case when dirty.retry then null else cast(:now as timestamptz) end,
                            worker = case when dirty.retry then null else t.worker end,
                            last_error = :error, history = %s
                        from dirty where t.id = dirty.id
                        returning t.id, t.name, t.queue, t.attempt, t.max_attempts, t.state"""
                        .formatted(AttemptHistory.appended("'dirty'", "cast(:error as text)")))
                .setParameter("staleBefore", TaskStore.utc(staleBefore))
                .setParameter("now", TaskStore.utc(now))
                .setParameter("error", error)
                .getResultList();
        return rows.stream().map(Object[].class::cast)
                .map(row -> new Rescued(TaskRef.of(row), TaskState.valueOf((String) row[5]))).toList();
    }

    /**
     * @return up to {@code limit} dirty tasks, RUNNING with no heartbeat since {@code staleBefore}, oldest
     *         heartbeat first; read only, for a policy that leaves them to a person
     */
    public List<TaskRef> findDirty(EntityManager em, Instant staleBefore, int limit) {
        List<?> rows = TaskStore.onTasks(em, "select " + TaskRef.COLUMNS + " from taskq_task"
                        + " where state = 'RUNNING' and alive_at < cast(:staleBefore as timestamptz)"
                        + " order by alive_at, id")
                .setParameter("staleBefore", TaskStore.utc(staleBefore))
                .setMaxResults(limit)
                .getResultList();
        return rows.stream().map(Object[].class::cast).map(TaskRef::of).toList();
    }

    /** @return how many tasks are dirty: RUNNING with no heartbeat since {@code staleBefore} */
    public long countDirty(EntityManager em, Instant staleBefore) {
        return em.createQuery("select count(t) from Task t where t.state = dev.taskq.TaskState.RUNNING"
                        + " and t.aliveAt < :staleBefore", Long.class)
                .setParameter("staleBefore", staleBefore)
                .getSingleResult();
    }

    /**
     * @param requeued dirty tasks put back to PENDING
     * @param failed   dirty tasks that ended for good: FAILED with no attempts left, or CANCELLED
     */
    public record DirtyOutcome(int requeued, int failed) {
    }

    /**
     * A dirty task the rescuer took.
     *
     * @param task     the task, with the attempt that was lost
     * @param state    PENDING again; FAILED, as it had no attempts left; or CANCELLED
     */
    public record Rescued(TaskRef task, TaskState state) {

        /** @return whether it is PENDING again */
        public boolean requeued() {
            return state == TaskState.PENDING;
        }
    }
}
