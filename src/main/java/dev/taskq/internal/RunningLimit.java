package dev.taskq.internal;

import jakarta.persistence.EntityManager;
import java.time.Instant;

/**
 * The cluster-wide limit of a queue's RUNNING tasks ({@code taskq.queue.<name>.max-running}), as claims apply it:
 * a claim of a limited queue first takes the queue's advisory lock, held until its transaction ends, so that the
 * claimers of that queue on all nodes take turns, then counts the queue's live RUNNING tasks and claims at most the
 * room left. Its tasks claimed ahead of a loop count too, and dirty ones (no heartbeat within the dirty threshold)
 * do not, so that a dead node's tasks do not hold the limit.
 */
final class RunningLimit {

    private RunningLimit() {
    }

    /** @return how many more of {@code queue}'s tasks may run now, with {@code queue}'s claims locked until commit */
    static int room(EntityManager em, String queue, int maxRunning, Instant aliveSince) {
        em.createNativeQuery("select 1 from pg_advisory_xact_lock(hashtext(:key))")
                .setParameter("key", "taskq.max-running:" + queue)
                .getSingleResult();
        long running = ((Number) em.createNativeQuery("""
                        select count(*) from taskq_task
                        where state = 'RUNNING' and queue = :queue and alive_at >= :aliveSince""")
                .setParameter("queue", queue)
                .setParameter("aliveSince", TaskStore.utc(aliveSince))
                .getSingleResult()).longValue();
        return (int) Math.max(0, maxRunning - running);
    }
}
