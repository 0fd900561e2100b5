package dev.taskq.it.app;

import dev.taskq.TaskQueue;
import dev.taskq.support.LedgerEntry;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

/** A business service: persists its own row and enqueues a task in the same JTA transaction. */
@ApplicationScoped
public class OrderService {

    public static final String QUEUE = "default";

    @PersistenceContext(unitName = "orders")
    EntityManager entityManager;

    @Inject
    TaskQueue tasks;

    @Resource
    TransactionSynchronizationRegistry transaction;

    @Transactional
    public long placeOrder(String ref) {
        entityManager.persist(new LedgerEntry(QUEUE, "order " + ref));
        return tasks.enqueue(RecordHandler.class, new Job(ref));
    }

    @Transactional
    public void placeOrderThenFail(String ref) {
        placeOrder(ref);
        throw new IllegalStateException("payment declined");
    }

    @Transactional
    public void placeOrderThenSetRollbackOnly(String ref) {
        placeOrder(ref);
        transaction.setRollbackOnly();
    }

    /** No transaction here: TaskQueue runs the enqueue in one of its own. */
    public long enqueueWithoutTransaction(String ref) {
        return tasks.enqueue(RecordHandler.class, new Job(ref));
    }

    /** Runs {@code work} inside a transaction of the application's own, as any business method that calls TaskQ. */
    @Transactional
    public void inTransaction(Runnable work) {
        work.run();
    }
}
