package dev.taskq.examples.orders;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** How many of an item the warehouse holds. */
@Entity
@Table(name = "shop_stock")
public class Stock {

    @Id
    private String item;

    private int quantity;

    protected Stock() {
    }

    Stock(String item, int quantity) {
        this.item = item;
        this.quantity = quantity;
    }

    public String getItem() {
        return item;
    }

    public int getQuantity() {
        return quantity;
    }

    void setQuantity(int quantity) {
        this.quantity = quantity;
    }

    void take(int taken) {
        quantity -= taken;
    }
}
