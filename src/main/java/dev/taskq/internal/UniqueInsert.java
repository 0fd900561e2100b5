package dev.taskq.internal;

import dev.taskq.Task;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/**
 * An enqueue that meets a unique key: adds the task unless another holds the key (a live task of the key's scope,
 * or a succeeded one within the key's period), and then, if asked, gives a pending holder the new arguments or
 * ETA. Native SQL because {@code ON CONFLICT DO NOTHING} is the only way to meet the unique index without an
 * error: a failed insert would mark the caller's transaction rollback-only. A concurrent enqueuer of the same key
 * waits for the first one's transaction to end, so exactly one task results.
 */
final class UniqueInsert {

    /** Live rows hold their key; the unique index {@code taskq_task_unique_scoped} has the same predicate. */
    private static final String LIVE = "state in ('PENDING', 'RUNNING')";

    private static final String HOLDER = """
            (select id, state from taskq_task where unique_scope = :scope and unique_key = :key and %s
             union all
             select id, state from taskq_task where unique_scope = :scope and unique_key = :key
               and state = 'SUCCEEDED' and unique_until is not null and unique_until > cast(:now as timestamptz))
            limit 1""".formatted(LIVE);

    private UniqueInsert() {
    }

    /**
     * The task holding a unique key.
     *
     * @param id       its id
     * @param inserted whether this enqueue wrote it; else another task already held the key
     */
    record Keyed(long id, boolean inserted) {
    }

    /**
     * @param replace  give a pending holder this task's arguments
     * @param debounce give a pending holder this task's ETA
     * @return the task that holds the key, and whether this enqueue added it
     */
    static Keyed insert(EntityManager em, Task task, boolean replace, boolean debounce) {
        // A key without a period can only be held by a live task, which the insert itself meets.
        boolean lookFirst = task.getUniqueUntil() != null;
        for (int round = 0; round < 10; round++) {
            if (lookFirst || round > 0) {
                List<?> holder = TaskStore.onTasks(em, HOLDER)
                        .setParameter("scope", scope(task))
                        .setParameter("key", task.getUniqueKey())
                        .setParameter("now", TaskStore.utc(task.getCreatedAt()))
                        .getResultList();
                if (!holder.isEmpty()) {
                    Object[] row = (Object[]) holder.get(0);
                    long id = ((Number) row[0]).longValue();
                    if (!"PENDING".equals(row[1]) || !(replace || debounce) || update(em, id, task, replace, debounce)) {
                        return new Keyed(id, false);
                    }
                    continue; // claimed or finished since the look-up: look again
                }
            }
            List<?> inserted = TaskStore.onTasks(em, """
                    insert into taskq_task (id, queue, name, args, state, priority, eta, attempt, max_attempts,
                                            unique_key, unique_scope, unique_until, expires_at, created_at)
                    values (nextval('taskq_task_seq'), :queue, :name, cast(:args as jsonb), 'PENDING', :priority,
                            :eta, 0, :maxAttempts, :key, :scope, cast(nullif(:uniqueUntil, '') as timestamptz),
                            cast(nullif(:expiresAt, '') as timestamptz), :createdAt)
                    on conflict (unique_scope, unique_key) where\s""" + LIVE + " do nothing returning id")
                    .setParameter("queue", task.getQueue())
                    .setParameter("name", task.getName())
                    .setParameter("args", task.getArgs())
                    .setParameter("priority", task.getPriority())
                    .setParameter("eta", TaskStore.utc(task.getEta()))
                    .setParameter("maxAttempts", task.getMaxAttempts())
                    .setParameter("key", task.getUniqueKey())
                    .setParameter("scope", scope(task))
                    .setParameter("uniqueUntil", textOrEmpty(task.getUniqueUntil()))
                    .setParameter("expiresAt", textOrEmpty(task.getExpiresAt()))
                    .setParameter("createdAt", TaskStore.utc(task.getCreatedAt()))
                    .getResultList();
            if (!inserted.isEmpty()) {
                return new Keyed(((Number) inserted.get(0)).longValue(), true);
            }
        }
        throw new IllegalStateException("Unique key '" + task.getUniqueKey() + "' kept changing hands");
    }

    /** @return whether the holder was still PENDING and now has the new arguments or ETA */
    private static boolean update(EntityManager em, long id, Task task, boolean replace, boolean debounce) {
        return TaskStore.onTasks(em, """
                        update taskq_task set args = case when :replace then cast(:args as jsonb) else args end,
                                              eta = case when :debounce then cast(:eta as timestamptz) else eta end
                        where id = :id and state = 'PENDING'""")
                .setParameter("replace", replace)
                .setParameter("args", task.getArgs())
                .setParameter("debounce", debounce)
                .setParameter("eta", TaskStore.utc(task.getEta()))
                .setParameter("id", id)
                .executeUpdate() == 1;
    }

    private static String scope(Task task) {
        return task.isUniquePerQueue() ? task.getQueue() : "";
    }

    /** An instant as text, or '' for none: a null parameter would carry no type PostgreSQL could cast. */
    private static String textOrEmpty(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
