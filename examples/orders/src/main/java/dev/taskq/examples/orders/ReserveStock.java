package dev.taskq.examples.orders;

import dev.taskq.ResultHandler;
import dev.taskq.Retry;
import dev.taskq.TaskName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;

/**
 * Takes the order's items from the warehouse and notes it on the order. When the warehouse holds too few, the
 * task fails, is retried with back-off, and ends FAILED with its error, for a person to restock
 * ({@code PUT /stock/{item}}) and retry it from TaskQ's admin page. What it reserved is kept with the task, for
 * the admin page to show, while the shop keeps succeeded tasks.
 */
@ApplicationScoped
@TaskName("reserve-stock")
@Retry(maxAttempts = 3, backoff = 1, maxBackoff = 5)
public class ReserveStock implements ResultHandler<OrderRef, ReserveStock.Reservation> {

    /** What was reserved, and how many are left. */
    public record Reservation(String item, int reserved, int left) {
    }

    @PersistenceContext
    EntityManager entityManager;

    @Override
    public Reservation compute(OrderRef ref) {
        // Locked: the order's other tasks run at the same time on other loops, and Hibernate writes every column.
        Order order = entityManager.find(Order.class, ref.orderId(), LockModeType.PESSIMISTIC_WRITE);
        Stock stock = entityManager.find(Stock.class, order.getItem(), LockModeType.PESSIMISTIC_WRITE);
        int available = stock == null ? 0 : stock.getQuantity();
        if (available < order.getQuantity()) {
            throw new IllegalStateException("Only " + available + " of " + order.getItem() + " in stock, order "
                    + order.getId() + " wants " + order.getQuantity());
        }
        stock.take(order.getQuantity());
        order.stockReserved(Instant.now());
        return new Reservation(order.getItem(), order.getQuantity(), stock.getQuantity());
    }
}
