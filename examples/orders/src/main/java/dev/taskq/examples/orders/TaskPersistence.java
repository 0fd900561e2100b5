package dev.taskq.examples.orders;

import dev.taskq.TaskQ;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Tells TaskQ which persistence context holds its tasks. WildFly finds an application's only unit by itself;
 * Payara needs this line, and so does any application with several units.
 */
@ApplicationScoped
public class TaskPersistence {

    @Produces
    @TaskQ
    @PersistenceContext(unitName = "shop")
    EntityManager taskEntityManager;
}
