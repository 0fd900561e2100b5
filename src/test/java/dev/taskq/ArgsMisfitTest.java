package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.taskq.internal.ArgsCodec;
import dev.taskq.internal.ArgsCodec.Reading;
import dev.taskq.support.Await;
import dev.taskq.support.QueueHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Arguments that do not fit their type are reported with the JSON path, the type expected there and the value
 * found, at enqueue in the caller's thread and in the worker for a stored row alike.
 */
class ArgsMisfitTest {

    record Item(String sku, int quantity) {
    }

    record Order(long id, List<Item> items, Map<String, String> notes) {
    }

    /** Refuses values its constructor does not accept. */
    record Positive(int n) {
        Positive {
            if (n <= 0) {
                throw new IllegalArgumentException("n must be positive, but was " + n);
            }
        }
    }

    /** A class, not a record, read through its annotated constructor. */
    static final class Parcel {
        final String label;
        final double weight;

        @JsonCreator
        Parcel(@JsonProperty("label") String label, @JsonProperty("weight") double weight) {
            this.label = label;
            this.weight = weight;
        }
    }

    /** Jackson reads an unwrapped value from tokens it buffered, so it reports a misfit there past the object. */
    public static final class Label {
        public String text;
        @JsonUnwrapped
        public Print print;
    }

    public static final class Print {
        public int copies;
    }

    @TaskName("order")
    static final class OrderHandler implements TaskHandler<Order> {
        @Override
        public void handle(Order args) {
        }
    }

    private final ArgsCodec codec = new ArgsCodec();

    private String misfit(String json, Class<?> type, Reading reading) {
        return misfit(json, TypeFactory.defaultInstance().constructType(type), reading);
    }

    private String misfit(String json, JavaType type, Reading reading) {
        return assertThrows(IllegalArgumentException.class, () -> codec.read(json, type, reading)).getMessage();
    }

    @Test
    void aWrongScalarInANestedListElementAtEnqueueAndInTheWorker() throws Exception {
        try (QueueHarness h = new QueueHarness()) {
            h.start(new OrderHandler());
            TaskQueueException atEnqueue = assertThrows(TaskQueueException.class, () -> h.tasks().enqueue("order",
                    Map.of("id", 1, "items", List.of(Map.of("sku", "a", "quantity", 1),
                            Map.of("sku", "b", "quantity", 2), Map.of("sku", "c", "quantity", "two"))), h.options()));
            assertEquals("The arguments for task handler 'order' do not fit its argument type "
                    + "dev.taskq.ArgsMisfitTest$Order: $.items[2].quantity: expected int, got \"two\". "
                    + "Pass a dev.taskq.ArgsMisfitTest$Order.", atEnqueue.getMessage());
            assertEquals(0, h.remaining(), "nothing was enqueued");

            long stored = h.insertRow("order", "{\"id\": 1, \"items\": [{\"sku\": \"a\", \"quantity\": 1}, "
                    + "{\"sku\": \"b\", \"quantity\": 2}, {\"sku\": \"c\", \"quantity\": \"two\"}]}");
            long nullQuantity = h.insertRow("order", "{\"id\": 2, \"items\": [{\"sku\": \"a\", \"quantity\": null}]}");
            h.startWorker();
            Await.until(Duration.ofSeconds(30), "both rows failed", () -> h.count(TaskState.FAILED) == 2);
            assertEquals("The stored arguments do not fit task handler 'order' (argument type "
                    + "dev.taskq.ArgsMisfitTest$Order): $.items[2].quantity: expected int, got \"two\". The argument "
                    + "type changed since the task was enqueued, or the row was edited: make them fit, then retry "
                    + "the task.", h.row(stored).getLastError());
            assertEquals("The stored arguments do not fit task handler 'order' (argument type "
                    + "dev.taskq.ArgsMisfitTest$Order): $.items[0].quantity: expected int, got null. The argument "
                    + "type changed since the task was enqueued, or the row was edited: make them fit, then retry "
                    + "the task.", h.row(nullQuantity).getLastError());
        }
    }

    @Test
    void nullForAPrimitiveFailsWhileAMissingPrimitiveIsZero() {
        for (Reading reading : List.of(Reading.LENIENT, Reading.NO_UNKNOWN_FIELDS, Reading.STRICT)) {
            assertEquals("$.quantity: expected int, got null", misfit("{\"sku\": \"a\", \"quantity\": null}",
                    Item.class, reading));
        }
        assertEquals(new Item("a", 0), codec.read("{\"sku\": \"a\"}",
                TypeFactory.defaultInstance().constructType(Item.class), Reading.LENIENT));
        assertEquals(new Item(null, 3), codec.read("{\"quantity\": 3}",
                TypeFactory.defaultInstance().constructType(Item.class), Reading.NO_UNKNOWN_FIELDS));
    }

    @Test
    void strictReadingNamesTheUnknownAndTheMissingField() {
        assertEquals("$.items[0].colour: not a field of Item (its fields: quantity, sku)", misfit(
                "{\"id\": 1, \"items\": [{\"sku\": \"a\", \"quantity\": 1, \"colour\": \"red\"}]}", Order.class,
                Reading.STRICT));
        assertEquals("$.items[0].quantity: expected int, but the field is missing", misfit(
                "{\"id\": 1, \"items\": [{\"sku\": \"a\"}], \"notes\": {}}", Order.class, Reading.STRICT));
        assertEquals("$.notes: expected Map, but the field is missing", misfit(
                "{\"id\": 1, \"items\": []}", Order.class, Reading.STRICT));
        assertEquals("$.weight: expected double, but the field is missing", misfit("{\"label\": \"box\"}",
                Parcel.class, Reading.STRICT));
        assertEquals("$.colour: not a field of Item (its fields: quantity, sku)", misfit(
                "{\"sku\": \"a\", \"quantity\": 1, \"colour\": \"red\"}", Item.class, Reading.NO_UNKNOWN_FIELDS));
    }

    @Test
    void aValueOfTheWrongShapeIsQuotedAndCutWhenLong() {
        assertEquals("$: expected Order, got [1,2]", misfit("[1, 2]", Order.class, Reading.LENIENT));
        assertEquals("$.items: expected List, got {\"sku\":\"a\"}", misfit("{\"id\": 1, \"items\": {\"sku\": \"a\"}}",
                Order.class, Reading.LENIENT));
        assertEquals("$.notes['first name']: expected String, got [\"Ann\",\"Bob\"]", misfit(
                "{\"id\": 1, \"notes\": {\"first name\": [\"Ann\", \"Bob\"]}}", Order.class, Reading.LENIENT));
        String longValue = "x".repeat(200);
        assertEquals("$.quantity: expected int, got \"" + "x".repeat(59) + "...", misfit("{\"quantity\": \""
                + longValue + "\"}", Item.class, Reading.LENIENT));
        assertEquals("$.copies: expected int, got \"two\"", misfit("{\"text\": \"x\", \"copies\": \"two\"}",
                Label.class, Reading.LENIENT));
        assertEquals("$.id: expected long, got true", misfit("{\"id\": true}", Order.class, Reading.LENIENT));
        assertEquals("$.items[0].quantity: expected int, got 3000000000 (out of range)", misfit(
                "{\"items\": [{\"quantity\": 3000000000}]}", Order.class, Reading.LENIENT));
    }

    @Test
    void aConstructorThatRefusesAValueSaysWhy() {
        JavaType positives = TypeFactory.defaultInstance().constructCollectionType(List.class, Positive.class);
        assertEquals("$[1]: Positive could not be created: n must be positive, but was 0", misfit(
                "[{\"n\": 1}, {\"n\": 0}]", positives, Reading.LENIENT));
    }

    @Test
    void malformedJsonSaysWhereAndWhy() {
        assertEquals("malformed JSON at line 1, column 21: Unexpected close marker '}': expected ']' (for Array "
                + "starting at line 1, column 20)", misfit("{\"id\": 1, \"items\": [}", Order.class, Reading.LENIENT));
        assertEquals("malformed JSON at line 1, column 9: Unexpected end-of-input: expected close marker for Object "
                + "(start marker at line 1, column 1)", misfit("{\"id\": 1", Order.class, Reading.LENIENT));
        assertEquals("malformed JSON at line 1, column 11: more content after the arguments' value", misfit(
                "{\"id\": 1} {}", Order.class, Reading.LENIENT));
    }
}
