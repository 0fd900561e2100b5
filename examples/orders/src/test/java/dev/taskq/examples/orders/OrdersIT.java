package dev.taskq.examples.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
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

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void anOrderIsConfirmedAndItsStockReservedByTheTasksItsTransactionEnqueued() throws Exception {
        HttpResponse<String> placed = post("{\"email\": \"ada@example.com\", \"item\": \"teapot\", \"quantity\": 2}");
        assertEquals(201, placed.statusCode(), placed.body());
        long id = json.readTree(placed.body()).get("id").asLong();

        JsonNode done = until("the tasks ran", () -> {
            JsonNode order = get(id);
            return absent(order, "confirmationSentAt") || absent(order, "stockReservedAt") ? null : order;
        });
        assertEquals("teapot", done.get("item").asText());
        assertEquals(0, count("select count(*) from taskq_task where args ->> 'orderId' = '" + id + "'"),
                "succeeded tasks are deleted");
    }

    @Test
    void anOrderTheWarehouseCannotServeEndsWithAFailedTaskForAPerson() throws Exception {
        HttpResponse<String> placed = post("{\"email\": \"bob@example.com\", \"item\": \"anvil\", \"quantity\": 500}");
        long id = json.readTree(placed.body()).get("id").asLong();

        String error = until("reserve-stock failed for good", () -> text("select last_error from taskq_task where "
                + "name = 'reserve-stock' and state = 'FAILED' and args ->> 'orderId' = '" + id + "'"));
        assertTrue(error.startsWith("java.lang.IllegalStateException: Only 100 of anvil in stock, order " + id
                + " wants 500"), error);
        JsonNode order = until("the confirmation was sent", () -> {
            JsonNode current = get(id);
            return absent(current, "confirmationSentAt") ? null : current;
        });
        assertTrue(absent(order, "stockReservedAt"), order.toString());
    }

    @Test
    void aRejectedOrderLeavesNoOrderAndNoTask() throws Exception {
        long orders = count("select count(*) from shop_order");
        long tasks = count("select count(*) from taskq_task");

        HttpResponse<String> rejected = post("{\"email\": \"eve@example.com\", \"item\": \"kettle\", \"quantity\": 0}");

        assertEquals(400, rejected.statusCode());
        assertEquals("quantity must be at least 1, but was 0", json.readTree(rejected.body()).get("error").asText());
        assertEquals(orders, count("select count(*) from shop_order"));
        assertEquals(tasks, count("select count(*) from taskq_task"));
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.toURI().resolve("orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(long id) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.toURI().resolve("orders/" + id))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return json.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** JSON providers differ: a null field may be written as null or left out. */
    private static boolean absent(JsonNode node, String field) {
        return node.path(field).isNull() || node.path(field).isMissingNode();
    }

    /** Waits, with a deadline, until {@code value} gives something. */
    private static <T> T until(String what, Supplier<T> value) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (T found = value.get(); ; found = value.get()) {
            if (found != null) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within 60 s: " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    private static long count(String sql) {
        String value = text(sql);
        return value == null ? 0 : Long.parseLong(value);
    }

    private static String text(String sql) {
        try (Connection connection = DriverManager.getConnection(System.getProperty("orders.jdbc.url"),
                System.getProperty("orders.jdbc.user"), System.getProperty("orders.jdbc.password"));
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet row = statement.executeQuery()) {
            return row.next() ? row.getString(1) : null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
