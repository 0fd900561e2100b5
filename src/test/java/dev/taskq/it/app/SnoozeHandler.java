package dev.taskq.it.app;

import dev.taskq.EndAttempt;
import dev.taskq.TaskContext;
import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.support.LedgerEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Snoozes its task's first run for a second, then writes a ledger row naming the task and the attempt its
 * injected {@link TaskContext} reports: attempt 1, since the snooze is not counted.
 */
@ApplicationScoped
@TaskName("it-snooze")
public class SnoozeHandler implements TaskHandler<Void> {

    private static final Set<Long> SNOOZED = ConcurrentHashMap.newKeySet();

    @Inject
    TaskContext context;

    @PersistenceContext(unitName = "orders")
    EntityManager entityManager;

    @Override
    public void handle(Void args) {
        if (SNOOZED.add(context.id())) {
            throw EndAttempt.snooze(Duration.ofSeconds(1));
        }
        entityManager.persist(new LedgerEntry(context.queue(), "snoozed " + context.id() + " then ran attempt "
                + context.attempt() + " of " + context.maxAttempts()));
    }
}
