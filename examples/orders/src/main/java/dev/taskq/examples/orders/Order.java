package dev.taskq.examples.orders;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** An order, and what the background tasks did for it. */
@Entity
@Table(name = "shop_order")
public class Order {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "shop_order_seq")
    @SequenceGenerator(name = "shop_order_seq", sequenceName = "shop_order_seq", allocationSize = 50)
    private Long id;

    private String email;

    private String item;

    private int quantity;

    @Column(name = "placed_at")
    private Instant placedAt;

    @Column(name = "confirmation_sent_at")
    private Instant confirmationSentAt;

    @Column(name = "stock_reserved_at")
    private Instant stockReservedAt;

    protected Order() {
    }

    public Order(String email, String item, int quantity, Instant placedAt) {
        this.email = email;
        this.item = item;
        this.quantity = quantity;
        this.placedAt = placedAt;
    }

    public Long getId() {
        return id;
    }

    public String getEmail() {
        return email;
    }

    public String getItem() {
        return item;
    }

    public int getQuantity() {
        return quantity;
    }

    public Instant getPlacedAt() {
        return placedAt;
    }

    public Instant getConfirmationSentAt() {
        return confirmationSentAt;
    }

    public Instant getStockReservedAt() {
        return stockReservedAt;
    }

    void confirmationSent(Instant at) {
        confirmationSentAt = at;
    }

    void stockReserved(Instant at) {
        stockReservedAt = at;
    }
}
