package dev.taskq.examples.orders;

import dev.taskq.TaskOptions;
import dev.taskq.TaskQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;

/** Places orders: the order and its follow-up tasks commit together, or not at all. */
@ApplicationScoped
public class Shop {

    @PersistenceContext
    EntityManager entityManager;

    /** Confirmations go out through the mail relay, which takes two connections at most: see the settings. */
    static final TaskOptions MAIL = TaskOptions.defaults().withQueue("mail");

    @Inject
    TaskQueue tasks;

    @Transactional
    public Order placeOrder(String email, String item, int quantity) {
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be at least 1, but was " + quantity);
        }
        Order order = new Order(email, item, quantity, Instant.now());
        entityManager.persist(order);
        tasks.enqueue(SendConfirmation.class, new OrderRef(order.getId()), MAIL);
        tasks.enqueue(ReserveStock.class, new OrderRef(order.getId()));
        return order;
    }

    /** Sets how many of {@code item} the warehouse holds. */
    @Transactional
    public Stock restock(String item, int quantity) {
        if (quantity < 0) {
            throw new IllegalArgumentException("quantity must be at least 0, but was " + quantity);
        }
        Stock stock = entityManager.find(Stock.class, item, LockModeType.PESSIMISTIC_WRITE);
        if (stock == null) {
            stock = new Stock(item, quantity);
            entityManager.persist(stock);
        } else {
            stock.setQuantity(quantity);
        }
        return stock;
    }

    public Order find(long id) {
        return entityManager.find(Order.class, id);
    }
}
