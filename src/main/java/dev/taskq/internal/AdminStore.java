package dev.taskq.internal;

import dev.taskq.QueueStats;
import dev.taskq.Task;
import dev.taskq.TaskFilter;
import dev.taskq.TaskGroup;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The statements of {@link dev.taskq.TaskAdmin}, beside {@link TaskStore}'s statements of the engine. Native
 * SQL: the groups and filters are plain predicates, and bulk actions take their rows in batches with
 * {@code SKIP LOCKED}, so an admin action never waits for, or blocks, a worker.
 */
final class AdminStore {

    /** The groups of live (PENDING or RUNNING) rows, which the stats count in one scan. */
    private static final List<TaskGroup> LIVE = List.of(TaskGroup.FUTURE, TaskGroup.PENDING, TaskGroup.ACTIVE,
            TaskGroup.DIRTY);

    /** Rows one statement of a bulk action takes; bulk actions loop until none are left. */
    static final int BATCH = 1_000;

    /** Where a FAILED, CANCELLED or DIRTY task can be retried: the worker has let go of it, or is gone. */
    private static final String RETRYABLE = "(state in ('FAILED', 'CANCELLED') "
            + "or (state = 'RUNNING' and alive_at < :staleBefore))";

    private static final String RETRY = """
            state = 'PENDING', eta = :now, worker = null, started_at = null, alive_at = null, finished_at = null,
            cancelled_at = null, cancelled_by = null, max_attempts = greatest(max_attempts, attempt + 1)""";

    /** A cancellation ends the task now where no live worker runs it (not started, or dirty). */
    private static final String ENDS_NOW = "(state = 'PENDING' or alive_at < cast(:staleBefore as timestamptz))";

    /** The conditions that place a task in a group, as of {@code :now} and {@code :staleBefore}. */
    static String condition(TaskGroup group) {
        return switch (group) {
            case FUTURE -> "state = 'PENDING' and eta > :now";
            case PENDING -> "state = 'PENDING' and eta <= :now";
            case ACTIVE -> "state = 'RUNNING' and alive_at >= :staleBefore";
            case DIRTY -> "state = 'RUNNING' and alive_at < :staleBefore";
            case FAILED -> "state = 'FAILED'";
            case SUCCEEDED -> "state = 'SUCCEEDED'";
            case CANCELLED -> "state = 'CANCELLED'";
        };
    }

    private static String order(TaskGroup group) {
        return switch (group) {
            case FUTURE -> "eta, id";
            case PENDING -> "priority desc, eta, id";
            case ACTIVE -> "started_at, id";
            case DIRTY -> "alive_at, id";
            case FAILED, SUCCEEDED, CANCELLED -> "finished_at desc, id desc";
        };
    }

    @SuppressWarnings("unchecked")
    public List<Task> list(EntityManager em, TaskGroup group, TaskFilter filter, int offset, int limit, Instant now,
            Instant staleBefore) {
        String sql = "select * from taskq_task where " + FilterSql.where(group, filter) + " order by "
                + order(group)
                + " offset :offset limit :limit";
        return FilterSql.bind(em.createNativeQuery(sql, Task.class), sql, filter, now, staleBefore)
                .setParameter("offset", offset)
                .setParameter("limit", limit)
                .getResultList();
    }

    public long count(EntityManager em, TaskGroup group, TaskFilter filter, Instant now, Instant staleBefore) {
        String sql = "select count(*) from taskq_task where " + FilterSql.where(group, filter);
        return ((Number) FilterSql.bind(em.createNativeQuery(sql), sql, filter, now, staleBefore).getSingleResult())
                .longValue();
    }

    /** @return the task as the retry left it (its last attempt, the attempts it may have now), if it could be retried */
    public Optional<TaskRef> retry(EntityManager em, long id, Instant now, Instant staleBefore) {
        return single(em.createNativeQuery("update taskq_task set " + RETRY + " where id = :id and " + RETRYABLE
                        + " returning " + TaskRef.COLUMNS)
                .setParameter("id", id)
                .setParameter("now", TaskStore.utc(now))
                .setParameter("staleBefore", TaskStore.utc(staleBefore)));
    }

    /**
     * Cancels a task that has not finished: CANCELLED at once where no live worker runs it, else marked for its
     * worker to stop. A claim holds its rows' locks until it commits; the UPDATE then re-checks the row, and finds it
     * RUNNING with a fresh heartbeat, so a task is either cancelled before it starts or asked to stop, never both.
     * A second cancellation keeps the first one's time and name.
     *
     * @return the task, and whether it ended now (else its worker was asked to stop it)
     */
    public Optional<Cancelled> cancel(EntityManager em, long id, String by, Instant now, Instant staleBefore) {
        List<?> rows = TaskStore.onTasks(em, """
                        update taskq_task set
                            state = case when %1$s then 'CANCELLED' else state end,
                            finished_at = case when %1$s then cast(:now as timestamptz) else finished_at end,
                            cancelled_at = coalesce(cancelled_at, cast(:now as timestamptz)),
                            cancelled_by = coalesce(cancelled_by, :by)
                        where id = :id and state in ('PENDING', 'RUNNING')
                        returning %2$s, state""".formatted(ENDS_NOW, TaskRef.COLUMNS))
                .setParameter("id", id)
                .setParameter("by", by)
                .setParameter("now", TaskStore.utc(now))
                .setParameter("staleBefore", TaskStore.utc(staleBefore))
                .getResultList();
        return rows.stream().findFirst().map(Object[].class::cast)
                .map(row -> new Cancelled(TaskRef.of(row), "CANCELLED".equals(row[5])));
    }

    /**
     * @param task  the task cancelled
     * @param ended whether it is CANCELLED now; else it runs, and its worker was asked to stop it
     */
    record Cancelled(TaskRef task, boolean ended) {
    }

    public Optional<TaskRef> delete(EntityManager em, long id) {
        return single(em.createNativeQuery("delete from taskq_task where id = :id returning " + TaskRef.COLUMNS)
                .setParameter("id", id));
    }

    private static Optional<TaskRef> single(Query query) {
        return query.getResultList().stream().findFirst().map(row -> TaskRef.of((Object[]) row));
    }

    /** Retries one batch of a group; the caller loops, each batch in a transaction of its own. */
    public int retryBatch(EntityManager em, TaskGroup group, TaskFilter filter, Instant now, Instant staleBefore) {
        String sql = "with picked as (select id from taskq_task where " + FilterSql.where(group, filter) + " and "
                + RETRYABLE
                + " limit " + BATCH + " for no key update skip locked) "
                + "update taskq_task t set " + RETRY + " from picked where t.id = picked.id";
        return FilterSql.bind(em.createNativeQuery(sql), sql, filter, now, staleBefore).executeUpdate();
    }

    /** Deletes one batch of a group; the caller loops, each batch in a transaction of its own. */
    public int deleteBatch(EntityManager em, TaskGroup group, TaskFilter filter, Instant now, Instant staleBefore) {
        String sql = "delete from taskq_task where id in (select id from taskq_task where "
                + FilterSql.where(group, filter)
                + " limit " + BATCH + " for update skip locked)";
        return FilterSql.bind(em.createNativeQuery(sql), sql, filter, now, staleBefore).executeUpdate();
    }

    public void pause(EntityManager em, String queue, Instant now) {
        em.createNativeQuery("insert into taskq_queue_pause (queue, paused_at) values (:queue, :now) "
                + "on conflict (queue) do nothing")
                .setParameter("queue", queue)
                .setParameter("now", TaskStore.utc(now))
                .executeUpdate();
    }

    public void resume(EntityManager em, String queue) {
        em.createNativeQuery("delete from taskq_queue_pause where queue = :queue").setParameter("queue", queue)
                .executeUpdate();
    }

    /** Also read by every claim: a tiny table, one index lookup. */
    public static Set<String> pausedQueues(EntityManager em) {
        @SuppressWarnings("unchecked") // typed, so that Hibernate need not infer the column's type at every claim
        List<String> queues = em.createNativeQuery("select queue from taskq_queue_pause", String.class)
                .getResultList();
        return new TreeSet<>(queues);
    }

    /**
     * Every queue's group counts and oldest due task: one scan of the live rows, through partial indexes of live
     * tasks, and one index-only count of the kept ones, so that the cost of either does not grow with the other. A
     * queue that is paused but empty is listed too, so that it can be resumed from the page.
     */
    public List<QueueStats.Queue> queues(EntityManager em, Instant now, Instant staleBefore, Set<String> paused) {
        String oldestDueColumn = ", min(eta) filter (where " + condition(TaskGroup.PENDING) + ")";
        Map<String, Map<TaskGroup, Long>> counts = new TreeMap<>();
        Map<String, Instant> oldestDue = new HashMap<>();
        for (Object[] row : liveRows(em, "queue", oldestDueColumn, now, staleBefore)) {
            addLive(counts, row);
            Instant oldest = instant(row[1 + LIVE.size()]);
            if (oldest != null) {
                oldestDue.put((String) row[0], oldest);
            }
        }
        // The predicates of the indexes taskq_task_kept and taskq_task_cancelled, so each counts from its index alone.
        addKept(counts, em.createNativeQuery("select queue, state, count(*) from taskq_task "
                + "where state in ('SUCCEEDED', 'FAILED') group by queue, state union all "
                + "select queue, 'CANCELLED', count(*) from taskq_task where state = 'CANCELLED' group by queue"));
        return queueStats(counts, oldestDue, paused, now);
    }

    /**
     * Every task name's group counts, as django-taskq's admin sums them up: one scan of the live rows and one
     * count of the kept ones, grouped by name.
     */
    public Map<String, Map<TaskGroup, Long>> byName(EntityManager em, Instant now, Instant staleBefore) {
        Map<String, Map<TaskGroup, Long>> names = new TreeMap<>();
        liveRows(em, "name", "", now, staleBefore).forEach(row -> addLive(names, row));
        addKept(names, em.createNativeQuery("select name, state, count(*) from taskq_task "
                + "where state in ('SUCCEEDED', 'FAILED', 'CANCELLED') group by name, state"));
        return names;
    }

    /**
     * @param column what to group by
     * @param extra  more columns, after the counts
     * @return per value of {@code column}, the counts of the live groups ({@link #LIVE}, in that order), then
     *         {@code extra}: one scan of the live rows, through partial indexes of live tasks
     */
    private static List<Object[]> liveRows(EntityManager em, String column, String extra, Instant now,
            Instant staleBefore) {
        StringBuilder sql = new StringBuilder("select ").append(column);
        LIVE.forEach(group -> sql.append(", count(*) filter (where ").append(condition(group)).append(')'));
        sql.append(extra).append(" from taskq_task where state = 'PENDING' or state = 'RUNNING' group by ")
                .append(column);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(sql.toString())
                .setParameter("now", TaskStore.utc(now))
                .setParameter("staleBefore", TaskStore.utc(staleBefore))
                .getResultList();
        return rows;
    }

    /** Adds a row of {@link #liveRows} to its key's groups. */
    private static void addLive(Map<String, Map<TaskGroup, Long>> counts, Object[] row) {
        Map<TaskGroup, Long> groups = counts.computeIfAbsent((String) row[0], key -> emptyGroups());
        for (int i = 0; i < LIVE.size(); i++) {
            groups.put(LIVE.get(i), ((Number) row[1 + i]).longValue());
        }
    }

    /** Adds the rows (key, state, count) of {@code kept} to their keys' groups. */
    private static void addKept(Map<String, Map<TaskGroup, Long>> counts, Query kept) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = kept.getResultList();
        for (Object[] row : rows) {
            counts.computeIfAbsent((String) row[0], key -> emptyGroups())
                    .put(TaskGroup.valueOf((String) row[1]), ((Number) row[2]).longValue());
        }
    }

    /**
     * @param counts    per queue, its tasks per group (a map this may add to)
     * @param oldestDue per queue that has a due task, the oldest one's ETA
     * @return the queues' stats ordered by name, a queue that is paused but empty listed too, so that it can be
     *         resumed from the page
     */
    static List<QueueStats.Queue> queueStats(Map<String, Map<TaskGroup, Long>> counts, Map<String, Instant> oldestDue,
            Set<String> paused, Instant now) {
        Map<String, Map<TaskGroup, Long>> all = new TreeMap<>(counts);
        paused.forEach(queue -> all.computeIfAbsent(queue, name -> emptyGroups()));
        return all.entrySet().stream().map(queue -> new QueueStats.Queue(queue.getKey(),
                paused.contains(queue.getKey()), queue.getValue(), oldestDue.containsKey(queue.getKey())
                        ? Duration.between(oldestDue.get(queue.getKey()), now) : Duration.ZERO)).toList();
    }

    /** RUNNING tasks per node, from the partial index on running rows. */
    public Map<String, Long> runningByNode(EntityManager em) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                "select worker, count(*) from taskq_task where state = 'RUNNING' group by worker order by worker")
                .getResultList();
        Map<String, Long> nodes = new TreeMap<>();
        rows.forEach(row -> nodes.put(String.valueOf(row[0]), ((Number) row[1]).longValue()));
        return nodes;
    }

    static Map<TaskGroup, Long> emptyGroups() {
        Map<TaskGroup, Long> groups = new EnumMap<>(TaskGroup.class);
        for (TaskGroup group : TaskGroup.values()) {
            groups.put(group, 0L);
        }
        return groups;
    }

    /** The driver gives timestamptz as OffsetDateTime, Timestamp or Instant depending on how Hibernate reads it. */
    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        return (Instant) value;
    }
}
