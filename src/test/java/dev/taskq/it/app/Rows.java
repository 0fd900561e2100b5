package dev.taskq.it.app;

import dev.taskq.Task;
import dev.taskq.support.LedgerEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;

/** What in-container tests read and write in the database, each call in a transaction of its own. */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class Rows {

    @PersistenceContext(unitName = "orders")
    EntityManager entityManager;

    public List<String> ledger(String like) {
        return entityManager.createQuery("select e.ref from LedgerEntry e where e.ref like :like order by e.ref",
                String.class).setParameter("like", like).getResultList();
    }

    @SuppressWarnings("unchecked")
    public List<Task> tasksFor(String ref) {
        return entityManager.createNativeQuery("select * from taskq_task where args ->> 'ref' = :ref order by id",
                Task.class).setParameter("ref", ref).getResultList();
    }

    /** @return the due instants of the tasks of handler {@code name}, in order */
    public List<java.time.Instant> etasOf(String name) {
        return entityManager.createQuery("select t.eta from Task t where t.name = :name order by t.eta",
                java.time.Instant.class).setParameter("name", name).getResultList();
    }

    /** @return how many tasks of {@code queue} are RUNNING now */
    public long running(String queue) {
        return ((Number) entityManager.createNativeQuery(
                "select count(*) from taskq_task where queue = :queue and state = 'RUNNING'")
                .setParameter("queue", queue).getSingleResult()).longValue();
    }

    public Task task(long id) {
        return entityManager.find(Task.class, id);
    }

    public void release(String ref) {
        entityManager.persist(new LedgerEntry(OrderService.QUEUE, "release " + ref));
    }
}
