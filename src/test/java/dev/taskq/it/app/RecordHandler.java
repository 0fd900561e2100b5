package dev.taskq.it.app;

import dev.taskq.Retry;
import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.support.LedgerEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.temporal.ChronoUnit;

/**
 * Writes a ledger row saying where it ran: the thread, and whether the application's class loader and JNDI
 * were there. A job whose ref starts with "fail" writes its row and then fails, so its write must roll back.
 */
@ApplicationScoped
@TaskName("record")
@Retry(maxAttempts = 2, backoff = 100, maxBackoff = 100, unit = ChronoUnit.MILLIS)
public class RecordHandler implements TaskHandler<Job> {

    @PersistenceContext(unitName = "orders")
    EntityManager entityManager;

    @Inject
    Environment environment;

    @Override
    public void handle(Job job) {
        entityManager.persist(new LedgerEntry(OrderService.QUEUE, "ran " + job.ref() + " " + environment.describe()));
        if (job.ref().startsWith("fail")) {
            throw new IllegalStateException("partner refused " + job.ref());
        }
    }
}
