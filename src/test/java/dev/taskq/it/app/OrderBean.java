package dev.taskq.it.app;

import dev.taskq.TaskQueue;
import dev.taskq.support.LedgerEntry;
import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** The same business step in an EJB: container-managed transactions, rolled back through the session context. */
@Stateless
public class OrderBean {

    @PersistenceContext(unitName = "orders")
    EntityManager entityManager;

    @Inject
    TaskQueue tasks;

    @Resource
    SessionContext session;

    public long placeOrder(String ref, boolean rollback) {
        entityManager.persist(new LedgerEntry(OrderService.QUEUE, "order " + ref));
        long id = tasks.enqueue(RecordHandler.class, new Job(ref));
        if (rollback) {
            session.setRollbackOnly();
        }
        return id;
    }
}
