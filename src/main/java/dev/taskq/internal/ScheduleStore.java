package dev.taskq.internal;

import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The statements on {@code taskq_schedule}: one row per schedule, its latest slot taken and a person's pause. */
final class ScheduleStore {

    /**
     * A schedule's row.
     *
     * @param lastSlot the latest slot taken (enqueued, or passed over), null before the first
     * @param lastTask the task enqueued for it, null if none was
     * @param pausedAt when a person paused the schedule, null while it runs
     */
    record Row(Instant lastSlot, Long lastTask, Instant pausedAt) {
        boolean paused() {
            return pausedAt != null;
        }
    }

    /**
     * Locks the schedule's row, made first if it has none yet, until the transaction ends: nodes that look at the
     * same slot take turns, and the second finds it taken.
     */
    Row lock(EntityManager em, String name) {
        ensureRow(em, name);
        Object[] row = (Object[]) em.createNativeQuery("""
                        select last_slot, last_task, paused_at from taskq_schedule
                        where name = :name for update""")
                .setParameter("name", name)
                .getSingleResult();
        return toRow(row);
    }

    /** Records that the schedule's slots up to {@code slot} are taken, by {@code task} (null if none ran). */
    void taken(EntityManager em, String name, Instant slot, Long task) {
        em.createNativeQuery("update taskq_schedule set last_slot = :slot, last_task = :task where name = :name")
                .setParameter("slot", TaskStore.utc(slot))
                .setParameter("task", task)
                .setParameter("name", name)
                .executeUpdate();
    }

    /** Pauses ({@code paused}) or resumes a schedule for every node. */
    void pause(EntityManager em, String name, boolean paused, Instant now) {
        ensureRow(em, name);
        if (paused) { // paused again, it keeps the instant it was first paused at
            em.createNativeQuery("update taskq_schedule set paused_at = coalesce(paused_at, :now) where name = :name")
                    .setParameter("now", TaskStore.utc(now))
                    .setParameter("name", name)
                    .executeUpdate();
        } else {
            em.createNativeQuery("update taskq_schedule set paused_at = null where name = :name")
                    .setParameter("name", name)
                    .executeUpdate();
        }
    }

    private static void ensureRow(EntityManager em, String name) {
        em.createNativeQuery("insert into taskq_schedule (name) values (:name) on conflict (name) do nothing")
                .setParameter("name", name)
                .executeUpdate();
    }

    /** @return every schedule's row by name */
    Map<String, Row> all(EntityManager em) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                "select last_slot, last_task, paused_at, name from taskq_schedule").getResultList();
        Map<String, Row> byName = new HashMap<>();
        rows.forEach(row -> byName.put((String) row[3], toRow(row)));
        return byName;
    }

    private static Row toRow(Object[] row) {
        return new Row(AdminStore.instant(row[0]), row[1] == null ? null : ((Number) row[1]).longValue(),
                AdminStore.instant(row[2]));
    }
}
