package dev.taskq.examples.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
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

/** The shop over HTTP, as its users call it, and a look into its database for what they cannot see. */
final class ShopClient {

    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    ShopClient(URL base) throws Exception {
        this.base = base.toURI();
    }

    HttpResponse<String> placeOrder(String email, String item, int quantity) throws Exception {
        return send("POST", "orders", "{\"email\": \"%s\", \"item\": \"%s\", \"quantity\": %d}"
                .formatted(email, item, quantity));
    }

    /** @return the new order's id */
    long placedOrder(String email, String item, int quantity) throws Exception {
        HttpResponse<String> placed = placeOrder(email, item, quantity);
        assertEquals(201, placed.statusCode(), placed.body());
        return json.readTree(placed.body()).get("id").asLong();
    }

    void restock(String item, int quantity) throws Exception {
        HttpResponse<String> response = send("PUT", "stock/" + item, "{\"quantity\": " + quantity + "}");
        assertEquals(200, response.statusCode(), response.body());
    }

    JsonNode order(long id) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("orders/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return json.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode json(String text) throws Exception {
        return json.readTree(text);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** JSON providers differ: a null field may be written as null or left out. */
    static boolean absent(JsonNode node, String field) {
        return node.path(field).isNull() || node.path(field).isMissingNode();
    }

    /** Waits, with a deadline, until {@code value} gives something. */
    static <T> T until(String what, Supplier<T> value) {
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

    static long count(String sql, Object... parameters) {
        String value = text(sql, parameters);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** @return the first column of the first row, or null without a row */
    static String text(String sql, Object... parameters) {
        try (Connection connection = DriverManager.getConnection(System.getProperty("orders.jdbc.url"),
                System.getProperty("orders.jdbc.user"), System.getProperty("orders.jdbc.password"));
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void update(String sql, Object... parameters) {
        try (Connection connection = DriverManager.getConnection(System.getProperty("orders.jdbc.url"),
                System.getProperty("orders.jdbc.user"), System.getProperty("orders.jdbc.password"));
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
