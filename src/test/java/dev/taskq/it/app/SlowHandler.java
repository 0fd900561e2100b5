package dev.taskq.it.app;

import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.support.LedgerEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.concurrent.locks.LockSupport;

/**
 * Long work that the test controls: it runs until a ledger row "release REF" exists (the test inserts it when
 * it is done looking), reacting to an interrupt as real work should.
 */
@ApplicationScoped
@TaskName("slow")
public class SlowHandler implements TaskHandler<Job> {

    @PersistenceContext(unitName = "orders")
    EntityManager entityManager;

    @Override
    public void handle(Job job) throws InterruptedException {
        while (!released(job.ref())) {
            LockSupport.parkNanos(50_000_000L);
            if (Thread.interrupted()) {
                throw new InterruptedException("stopped while working on " + job.ref());
            }
        }
        entityManager.persist(new LedgerEntry(OrderService.QUEUE, "finished " + job.ref()));
    }

    private boolean released(String ref) {
        return !entityManager.createNativeQuery("select 1 from test_ledger where ref = :ref")
                .setParameter("ref", "release " + ref).getResultList().isEmpty();
    }
}
