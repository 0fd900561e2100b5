package dev.taskq.it.app;

import dev.taskq.TaskQ;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** In an application with two persistence units, the one line that tells TaskQ which holds its tasks. */
@ApplicationScoped
public class OrdersUnit {

    @Produces
    @TaskQ
    @PersistenceContext(unitName = "orders")
    EntityManager taskEntityManager;
}
