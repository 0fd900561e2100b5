package dev.taskq.internal;

import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The cluster-wide limits of RUNNING tasks, of a queue ({@code taskq.queue.<name>.max-running}) and of a handler
 * ({@link dev.taskq.MaxRunning}), as claims apply them: a claim first takes the limit's advisory lock, held until
 * its transaction ends, so that the claimers of that queue or handler on all nodes take turns, then counts the live
 * RUNNING tasks and claims at most the room left. Tasks claimed ahead of a loop count too, and dirty ones (no
 * heartbeat within the dirty threshold) do not, so that a dead node's tasks do not hold the limit. A claim takes its
 * queues' locks in name order, so that claimers never wait for each other in a circle, and only tries its handlers'
 * (see {@link HandlerLimits}).
 */
final class RunningLimit {

    private RunningLimit() {
    }

    /** @return how many more of {@code queue}'s tasks may run now, with {@code queue}'s claims locked until commit */
    static int roomOfQueue(EntityManager em, String queue, int maxRunning, Instant aliveSince) {
        lock(em, "taskq.max-running:" + queue);
        return room(maxRunning, running(em, "queue", queue, aliveSince));
    }

    /**
     * @return how many more tasks named {@code name} may run now, with their claims locked until commit; 0 if
     *         another claimer holds their lock (it is claiming them)
     */
    static int tryRoomOfName(EntityManager em, String name, int maxRunning, Instant aliveSince) {
        boolean locked = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(hashtext(:key))")
                .setParameter("key", "taskq.max-running-task:" + name).getSingleResult();
        return locked ? room(maxRunning, running(em, "name", name, aliveSince)) : 0;
    }

    /**
     * A first look, without locks, at which of the {@code limited} task names have no room: a claim leaves them out
     * of its select, so that their waiting tasks do not fill it and hold back the tasks behind them.
     *
     * @return the names at or over their limit now
     */
    static List<String> namesWithoutRoom(EntityManager em, Map<String, Integer> limited, Instant aliveSince) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select name, count(*) from taskq_task
                        where state = 'RUNNING' and alive_at >= :aliveSince and name = any(cast(:names as text[]))
                        group by name""")
                .setParameter("aliveSince", TaskStore.utc(aliveSince))
                .setParameter("names", textArray(limited.keySet()))
                .getResultList();
        Map<String, Long> running = new HashMap<>();
        rows.forEach(row -> running.put((String) row[0], ((Number) row[1]).longValue()));
        return limited.entrySet().stream().filter(limit -> running.getOrDefault(limit.getKey(), 0L) >= limit.getValue())
                .map(Map.Entry::getKey).toList();
    }

    private static void lock(EntityManager em, String key) {
        em.createNativeQuery("select 1 from pg_advisory_xact_lock(hashtext(:key))").setParameter("key", key)
                .getSingleResult();
    }

    private static long running(EntityManager em, String column, String value, Instant aliveSince) {
        return ((Number) em.createNativeQuery("select count(*) from taskq_task where state = 'RUNNING' and "
                        + column + " = :value and alive_at >= :aliveSince")
                .setParameter("value", value)
                .setParameter("aliveSince", TaskStore.utc(aliveSince))
                .getSingleResult()).longValue();
    }

    private static int room(int maxRunning, long running) {
        return (int) Math.max(0, maxRunning - running);
    }

    /** @return a PostgreSQL text array literal of task names, which hold no quote, comma or backslash */
    private static String textArray(Collection<String> names) {
        return names.stream().map(name -> '"' + name + '"').collect(Collectors.joining(",", "{", "}"));
    }
}
