package dev.taskq.it.app;

import dev.taskq.Retry;
import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.support.LedgerEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.temporal.ChronoUnit;

/**
 * Writes the job's ref as a ledger row in the task's transaction, the queue its ledger queue: the counted outcome
 * of the fault ITs. Retried often and soon, since an outage fails the attempts it cuts.
 */
@ApplicationScoped
@TaskName("ledger-job")
@Retry(maxAttempts = 10, backoff = 100, maxBackoff = 500, unit = ChronoUnit.MILLIS)
public class LedgerJobHandler implements TaskHandler<Job> {

    public static final String LEDGER = "ledger-job";

    @PersistenceContext(unitName = "orders")
    EntityManager entityManager;

    @Override
    public void handle(Job job) {
        entityManager.persist(new LedgerEntry(LEDGER, job.ref()));
    }
}
