package dev.taskq.examples.orders;

import static dev.taskq.examples.orders.ShopClient.absent;
import static dev.taskq.examples.orders.ShopClient.count;
import static dev.taskq.examples.orders.ShopClient.text;
import static dev.taskq.examples.orders.ShopClient.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shop as its users see it: over HTTP, with a look into the database for what they cannot see. */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class OrdersIT {

    /** The WAR exactly as built, not one assembled for the test. */
    @Deployment(testable = false)
    static WebArchive shop() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("shop.war")));
    }

    @ArquillianResource
    URL base;

    private ShopClient shop;

    @BeforeEach
    void connect() throws Exception {
        shop = new ShopClient(base);
    }

    @Test
    void anOrderIsConfirmedAndItsStockReservedByTheTasksItsTransactionEnqueued() throws Exception {
        shop.restock("teapot", 10);
        long id = shop.placedOrder("ada@example.com", "teapot", 2);

        JsonNode done = until("the tasks ran", () -> {
            JsonNode order = shop.order(id);
            return absent(order, "confirmationSentAt") || absent(order, "stockReservedAt") ? null : order;
        });
        assertEquals("teapot", done.get("item").asText());
        assertEquals("8", text("select quantity from shop_stock where item = 'teapot'"));
        assertEquals(2, count("select count(*) from taskq_task where args ->> 'orderId' = ? and state = 'SUCCEEDED'",
                String.valueOf(id)), "the shop keeps succeeded tasks a day (taskq.retention.succeeded)");
        assertEquals("{\"item\": \"teapot\", \"left\": 8, \"reserved\": 2}", text("select result::text "
                + "from taskq_task where name = 'reserve-stock' and args ->> 'orderId' = ?", String.valueOf(id)),
                "what ReserveStock returned is kept with its task");
    }

    @Test
    void anOrderTheWarehouseCannotServeEndsWithAFailedTaskForAPerson() throws Exception {
        shop.restock("anvil", 100);
        long id = shop.placedOrder("bob@example.com", "anvil", 500);

        String error = until("reserve-stock failed for good", () -> text("select last_error from taskq_task where "
                + "name = 'reserve-stock' and state = 'FAILED' and args ->> 'orderId' = ?", String.valueOf(id)));
        assertTrue(error.startsWith("java.lang.IllegalStateException: Only 100 of anvil in stock, order " + id
                + " wants 500"), error);
        JsonNode order = until("the confirmation was sent", () -> {
            JsonNode current = shop.order(id);
            return absent(current, "confirmationSentAt") ? null : current;
        });
        assertTrue(absent(order, "stockReservedAt"), order.toString());
        assertEquals("100", text("select quantity from shop_stock where item = 'anvil'"));
    }

    @Test
    void aRejectedOrderLeavesNoOrderAndNoTask() throws Exception {
        long orders = count("select count(*) from shop_order");
        String before = text("select clock_timestamp()::text");

        HttpResponse<String> rejected = shop.placeOrder("eve@example.com", "kettle", 0);

        assertEquals(400, rejected.statusCode());
        assertEquals("quantity must be at least 1, but was 0", shop.json(rejected.body()).get("error").asText());
        assertEquals(orders, count("select count(*) from shop_order"));
        assertEquals(0, count("select count(*) from taskq_task where created_at >= ?::timestamptz", before));
    }
}
