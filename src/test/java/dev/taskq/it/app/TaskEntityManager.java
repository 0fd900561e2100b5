package dev.taskq.it.app;

import dev.taskq.TaskQ;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** The line a Payara application adds so that TaskQ gets its persistence context (WildFly finds it alone). */
@ApplicationScoped
public class TaskEntityManager {

    @Produces
    @TaskQ
    @PersistenceContext(unitName = "orders")
    EntityManager taskEntityManager;
}
