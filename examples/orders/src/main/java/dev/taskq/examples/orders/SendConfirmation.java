package dev.taskq.examples.orders;

import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.logging.Logger;

/** "Sends" the confirmation mail and notes it on the order, in the task's transaction. */
@ApplicationScoped
@TaskName("send-confirmation")
public class SendConfirmation implements TaskHandler<OrderRef> {

    private static final Logger LOG = Logger.getLogger(SendConfirmation.class.getName());

    @PersistenceContext
    EntityManager entityManager;

    @Override
    public void handle(OrderRef ref) {
        // Locked: the order's other tasks run at the same time on other loops, and Hibernate writes every column.
        Order order = entityManager.find(Order.class, ref.orderId(), LockModeType.PESSIMISTIC_WRITE);
        LOG.info(() -> "Sending the confirmation of order " + order.getId() + " to " + order.getEmail());
        order.confirmationSent(Instant.now());
    }
}
