package dev.taskq.internal.cdi;

import dev.taskq.TaskQ;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The {@code @TaskQ EntityManager} of an application with a single persistence unit: its container-managed,
 * transaction-scoped persistence context. {@link TaskQExtension} vetoes it when the application declares such a
 * producer of its own.
 */
@ApplicationScoped
public class DefaultEntityManagerProducer {

    @PersistenceContext
    private EntityManager entityManager;

    @Produces
    @TaskQ
    EntityManager entityManager() {
        return entityManager;
    }
}
