package dev.taskq.examples.orders;

import dev.taskq.Retry;
import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;

/**
 * Reserves stock and notes it on the order. The warehouse holds 100 of each item: a larger order fails, is
 * retried with back-off, and ends FAILED with its error, for a person to look at.
 */
@ApplicationScoped
@TaskName("reserve-stock")
@Retry(maxAttempts = 3, backoff = 1, maxBackoff = 5)
public class ReserveStock implements TaskHandler<OrderRef> {

    static final int IN_STOCK = 100;

    @PersistenceContext
    EntityManager entityManager;

    @Override
    public void handle(OrderRef ref) {
        Order order = entityManager.find(Order.class, ref.orderId());
        if (order.getQuantity() > IN_STOCK) {
            throw new IllegalStateException("Only " + IN_STOCK + " of " + order.getItem() + " in stock, order "
                    + order.getId() + " wants " + order.getQuantity());
        }
        order.stockReserved(Instant.now());
    }
}
