package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JavaType;
import dev.taskq.internal.ArgsCodec;
import dev.taskq.internal.HandlerRegistry;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.LedgerHandler;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input fails at the caller with a message that says what to fix, and loses nothing; bad rows fail in the
 * worker with an error that says why, and the worker goes on.
 */
class BadInputTest {

    private final QueueHarness h = new QueueHarness();

    /** A task without arguments. */
    @TaskName("no-args")
    static final class NoArgsHandler implements TaskHandler<Void> {
        @Override
        public void handle(Void args) {
        }
    }

    /** Arguments with a class-name type id: the kind of type that could make Jackson load a named class. */
    public record Envelope(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object payload) {
    }

    @TaskName("envelope")
    static final class EnvelopeHandler implements TaskHandler<Envelope> {
        @Override
        public void handle(Envelope args) {
        }
    }

    /** Jackson cannot write it: its only property throws. */
    public static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("not serializable");
        }
    }

    /** Set if the class below is ever initialized. */
    public static final AtomicBoolean GADGET_LOADED = new AtomicBoolean();

    /** A class a malicious row might name. */
    public static final class Gadget {
        static {
            GADGET_LOADED.set(true);
        }
    }

    @BeforeEach
    void start() {
        h.start(new LedgerHandler(h), new NoArgsHandler());
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    /** Runs {@code bad} inside a caller's transaction that then goes on and commits. */
    private String failsAtTheCallerAndLosesNothing(Executable bad) {
        String[] message = new String[1];
        h.tx.required(em -> {
            h.writeLedger("before");
            message[0] = assertThrows(TaskQueueException.class, bad::execute).getMessage();
            h.writeLedger("after");
            return h.tasks().enqueue(LedgerHandler.class, new Ref("good"), h.options());
        });
        assertEquals(List.of("after", "before"), h.ledger(), "the caller's transaction went on and committed");
        assertEquals(List.of("{\"ref\": \"good\"}"), h.rows().stream().map(Task::getArgs).toList());
        return message[0];
    }

    private static void assertMessage(String expected, String actual) {
        assertTrue(actual.contains(expected), "expected the message to contain\n  " + expected + "\nbut was\n  "
                + actual);
    }

    @Test
    void anUnknownHandlerName() {
        String message = failsAtTheCallerAndLosesNothing(() -> h.tasks().enqueue("send-mail", new Ref("x"),
                h.options()));
        assertMessage("No task handler named 'send-mail'. Known: ledger, no-args.", message);
    }

    @Test
    void aClassThatIsNoRegisteredHandler() {
        String message = failsAtTheCallerAndLosesNothing(() -> h.tasks().enqueue(UnknownHandler.class, "x"));
        assertMessage("dev.taskq.BadInputTest$UnknownHandler is not a registered task handler. Known: ledger, "
                + "no-args.", message);
    }

    static final class UnknownHandler implements TaskHandler<String> {
        @Override
        public void handle(String args) {
        }
    }

    @Test
    void argumentsJacksonCannotWrite() {
        String message = failsAtTheCallerAndLosesNothing(() -> h.tasks().enqueue("ledger", new Unwritable(),
                h.options()));
        assertMessage("The arguments for task handler 'ledger' cannot be written as JSON:", message);
        assertMessage("not serializable", message);
    }

    @Test
    void argumentsTheHandlersTypeCannotRead() {
        String message = failsAtTheCallerAndLosesNothing(() -> h.tasks().enqueue("ledger",
                Map.of("reference", "x"), h.options()));
        assertMessage("The arguments for task handler 'ledger' do not fit its argument type dev.taskq.support.Ref: "
                + "$.reference: not a field of Ref (its fields: ref). Pass a dev.taskq.support.Ref.", message);
    }

    @Test
    void nullArgumentsForAHandlerThatNeedsThem() {
        String message = failsAtTheCallerAndLosesNothing(() -> h.tasks().enqueue(LedgerHandler.class, null,
                h.options()));
        assertMessage("Task handler 'ledger' needs arguments of type dev.taskq.support.Ref, but they were null.",
                message);
    }

    @Test
    void argumentsForAHandlerThatTakesNone() {
        String message = failsAtTheCallerAndLosesNothing(() -> h.tasks().enqueue("no-args", new Ref("x"),
                h.options()));
        assertMessage("Task handler 'no-args' takes no arguments (TaskHandler<Void>), but was given a "
                + "dev.taskq.support.Ref. Pass null.", message);
    }

    @Test
    void aHandlerWhoseArgumentsWouldNameClassesIsRefusedAtStart() {
        TaskQueueException e = assertThrows(TaskQueueException.class, () -> HandlerRegistry.builder(new ArgsCodec())
                .add(new EnvelopeHandler()).add(new LedgerHandler(h)).build());
        assertMessage("TaskQ found invalid task handlers:\n  - dev.taskq.BadInputTest$EnvelopeHandler: its arguments "
                + "cannot be read: dev.taskq.BadInputTest$Envelope cannot be read by Jackson: Configured "
                + "`PolymorphicTypeValidator`", e.getMessage());
    }

    @Test
    void aClassNamedInStoredArgumentsIsNeverLoaded() {
        ArgsCodec codec = new ArgsCodec();
        JavaType envelope = codec.argsTypeOf(EnvelopeHandler.class);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.read(
                "{\"payload\": {\"@class\": \"dev.taskq.BadInputTest$Gadget\"}}", envelope));
        assertMessage("PolymorphicTypeValidator", e.getMessage());
        assertFalse(GADGET_LOADED.get(), "a class named in the data was never loaded");
    }

    @Test
    void noReadingLoadsAClassNamedInArguments() {
        ArgsCodec codec = new ArgsCodec();
        JavaType envelope = codec.argsTypeOf(EnvelopeHandler.class);
        for (ArgsCodec.Reading reading : ArgsCodec.Reading.values()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.read(
                    "{\"payload\": {\"@class\": \"dev.taskq.BadInputTest$Gadget\"}}", envelope, reading));
            assertMessage("PolymorphicTypeValidator", e.getMessage());
        }
        assertFalse(GADGET_LOADED.get(), "a class named in the data was never loaded");
    }

    @Test
    void nullOptions() {
        assertMessage("TaskOptions are null: pass TaskOptions.defaults()", failsAtTheCallerAndLosesNothing(
                () -> h.tasks().enqueue(LedgerHandler.class, new Ref("x"), null)));
    }

    @Test
    void anInvalidOptionInsideTheCallersTransaction() {
        assertMessage("TaskOptions.withDelay needs a delay of zero or more, but was PT-1S.",
                failsAtTheCallerAndLosesNothing(() -> h.options().withDelay(Duration.ofSeconds(-1))));
    }

    @Test
    void everyInvalidOptionSaysItsRule() {
        TaskOptions options = TaskOptions.defaults();
        assertMessage("TaskOptions.withQueue needs a queue name of 1 to 64 letters, digits or . _ - :, but was ''.",
                assertThrows(TaskQueueException.class, () -> options.withQueue("")).getMessage());
        assertMessage("but was 'mail queue'", assertThrows(TaskQueueException.class,
                () -> options.withQueue("mail queue")).getMessage());
        assertMessage("TaskOptions.withPriority must be between -1000 and 1000, but was 5000.",
                assertThrows(TaskQueueException.class, () -> options.withPriority(5000)).getMessage());
        assertMessage("TaskOptions.withMaxAttempts must be between 1 and 1000, but was 0.",
                assertThrows(TaskQueueException.class, () -> options.withMaxAttempts(0)).getMessage());
        assertMessage("TaskOptions.withUniqueKey needs 1 to 200 non-blank characters, but was ' '.",
                assertThrows(TaskQueueException.class, () -> options.withUniqueKey(" ")).getMessage());
        assertMessage("TaskOptions.withEta needs an instant, but was null.",
                assertThrows(TaskQueueException.class, () -> options.withEta(null)).getMessage());
    }

    @Test
    void badRowsFailInTheWorkerWithTheirReasonAndTheWorkerGoesOn() {
        long wrongType = h.insertRow("ledger", "{\"ref\": {\"id\": 7}}");
        long wrongShape = h.insertRow("ledger", "\"just a string\"");
        long missingArgs = h.insertRow("ledger", null);
        long goneHandler = h.insertRow("send-fax", "{}");
        h.tasks().enqueue(LedgerHandler.class, new Ref("good"), h.options());

        h.startWorker();
        Await.until(Duration.ofSeconds(30), "the good task ran", () -> h.ledger().equals(List.of("good")));
        Await.until(Duration.ofSeconds(30), "the bad rows failed", () -> h.count(TaskState.FAILED) == 4);

        assertMessage("The stored arguments do not fit task handler 'ledger' (argument type dev.taskq.support.Ref): "
                + "$.ref: expected String, got {\"id\":7}.", h.row(wrongType).getLastError());
        assertMessage("The stored arguments do not fit task handler 'ledger' (argument type dev.taskq.support.Ref): "
                + "$: expected Ref, got \"just a string\".", h.row(wrongShape).getLastError());
        assertMessage("Task handler 'ledger' needs arguments of type dev.taskq.support.Ref, but the stored "
                + "arguments are null.", h.row(missingArgs).getLastError());
        assertMessage("No task handler named 'send-fax' in this application (known: ledger, no-args).",
                h.row(goneHandler).getLastError());
        assertEquals(1, h.row(wrongType).getAttempt(), "a row that cannot run is not retried");
    }

    @Test
    void settingsAreCheckedWithTheSettingTheValueAndTheRule() {
        WorkerSettings defaults = WorkerSettings.defaults();
        assertMessage("taskq.worker.threads must be between 1 and 256, but was 0.", assertThrows(
                TaskQueueException.class, () -> defaults.with(WorkerSettings.THREADS, "0")).getMessage());
        assertMessage("taskq.worker.threads must be a whole number, but was 'four'.", assertThrows(
                TaskQueueException.class, () -> defaults.with(WorkerSettings.THREADS, "four")).getMessage());
        assertMessage("taskq.worker.prefetch must be between 0 and 1000, but was 5000.", assertThrows(
                TaskQueueException.class, () -> defaults.with(WorkerSettings.PREFETCH, "5000")).getMessage());
        assertMessage("taskq.worker.poll-interval must be a duration such as 500ms, 2s, 5m, 1h, 7d or "
                + "PT1.5S, but was 'soon'.", assertThrows(TaskQueueException.class,
                () -> defaults.with(WorkerSettings.POLL_INTERVAL, "soon")).getMessage());
        assertMessage("taskq.worker.dirty-threshold must be between 3s and 86400s (at least 3 times "
                + "taskq.worker.heartbeat-interval), but was 2s.", assertThrows(TaskQueueException.class,
                () -> defaults.with(WorkerSettings.DIRTY_THRESHOLD, "2s")).getMessage());
        assertMessage("taskq.worker.dirty-policy must be keep or requeue, but was 'retry'.", assertThrows(
                TaskQueueException.class, () -> defaults.with(WorkerSettings.DIRTY_POLICY, "retry")).getMessage());
        assertMessage("taskq.worker.queues needs a queue name of 1 to 64 letters, digits or . _ - :, but was ''.",
                assertThrows(TaskQueueException.class, () -> defaults.with(WorkerSettings.QUEUES, "mail,"))
                        .getMessage());
        assertMessage("taskq.retention.succeeded must be a duration such as 500ms, 2s, 5m, 1h, 7d or PT1.5S, but was "
                + "'yes'.", assertThrows(TaskQueueException.class,
                () -> defaults.with(WorkerSettings.SUCCEEDED_RETENTION, "yes")).getMessage());
        assertMessage("taskq.retention.failed must be between 60s and 315360000s, but was 1s.", assertThrows(
                TaskQueueException.class, () -> defaults.with(WorkerSettings.FAILED_RETENTION, "1s")).getMessage());
        assertMessage("taskq.worker.shutdown-grace must be between 0s and 600s, but was 3600s.", assertThrows(
                TaskQueueException.class, () -> defaults.with(WorkerSettings.SHUTDOWN_GRACE, "1h")).getMessage());
        assertMessage("taskq.worker.cancel-grace must be between 0s and 3600s, but was 7200s.", assertThrows(
                TaskQueueException.class, () -> defaults.with(WorkerSettings.CANCEL_GRACE, "2h")).getMessage());
        assertMessage("taskq.worker.completion-batch-size must be between 1 and 1000, but was 0.", assertThrows(
                TaskQueueException.class, () -> defaults.with(WorkerSettings.COMPLETION_BATCH_SIZE, "0")).getMessage());
        assertMessage("taskq.worker.completion-batch-window must be between 1ms and 1s, but was 2s.", assertThrows(
                TaskQueueException.class, () -> defaults.with(WorkerSettings.COMPLETION_BATCH_WINDOW, "2s"))
                .getMessage());
    }
}
