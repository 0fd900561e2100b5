package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.RunListener;
import dev.taskq.internal.TaskRunner.Outcome;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Running a task: completion atomic with the handler's writes; failures retried with back-off, then FAILED. */
class RunTest {

    private final QueueHarness h = new QueueHarness();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    /** Writes its ledger entry, then fails while {@code failures} is positive. */
    @TaskName("flaky")
    @Retry(maxAttempts = 3, backoff = 10, maxBackoff = 15, retryOn = IOException.class,
            noRetryFor = java.io.FileNotFoundException.class)
    static final class FlakyHandler implements TaskHandler<Ref> {
        private final QueueHarness harness;
        final AtomicInteger failures = new AtomicInteger();
        volatile Supplier<Exception> error = () -> new IOException("partner API down");

        FlakyHandler(QueueHarness harness) {
            this.harness = harness;
        }

        @Override
        public void handle(Ref args) throws Exception {
            harness.writeLedger(args.ref());
            if (failures.getAndDecrement() > 0) {
                throw error.get();
            }
        }
    }

    /** Runs outside any transaction: there is no entity manager to write with. */
    @TaskName("outside")
    @Transactional(TxType.NOT_SUPPORTED)
    static final class OutsideHandler implements TaskHandler<Void> {
        private final QueueHarness harness;
        volatile Boolean sawTransaction;

        OutsideHandler(QueueHarness harness) {
            this.harness = harness;
        }

        @Override
        public void handle(Void args) {
            try {
                harness.em();
                sawTransaction = true;
            } catch (IllegalStateException e) {
                sawTransaction = false;
            }
        }
    }

    @Test
    void successDeletesTheTaskInTheTransactionOfTheHandlersWrites() {
        FlakyHandler handler = new FlakyHandler(h);
        h.start(handler);
        h.tasks().enqueue(FlakyHandler.class, new Ref("r1"), h.options());

        assertEquals(Outcome.SUCCEEDED, h.runOne());

        assertEquals(List.of(), h.rows());
        assertEquals(List.of("r1"), h.ledger());
        assertEquals(0, h.engine().running().size());
    }

    @Test
    void listenersHearEveryAttemptAndOneThatThrowsChangesNothing() {
        FlakyHandler handler = new FlakyHandler(h);
        handler.failures.set(1);
        h.start(handler);
        List<String> heard = new CopyOnWriteArrayList<>();
        h.engine().runListeners().add(new RunListener() {
            @Override
            public void started(ClaimedTask task, Duration sinceDue, Duration sinceClaim) {
                heard.add("started " + task.name() + " attempt " + task.attempt());
                throw new IllegalStateException("a metrics library in trouble");
            }

            @Override
            public void finished(ClaimedTask task, Outcome outcome, Duration took) {
                heard.add(outcome + " " + task.name() + " attempt " + task.attempt());
                throw new IllegalStateException("a metrics library in trouble");
            }
        });
        long id = h.tasks().enqueue(FlakyHandler.class, new Ref("r1"), h.options());

        assertEquals(Outcome.RETRYING, h.runOne());
        h.clock.advance(Duration.ofSeconds(10));
        assertEquals(Outcome.SUCCEEDED, h.runOne());

        assertEquals(List.of("started flaky attempt 1", "RETRYING flaky attempt 1", "started flaky attempt 2",
                "SUCCEEDED flaky attempt 2"), heard);
        assertEquals(List.of("r1"), h.ledger(), "the second attempt's write committed");
        assertTrue(h.rows().stream().noneMatch(task -> task.getId() == id), "the task completed");
    }

    @Test
    void keptSucceededTasksStayAsSucceeded() {
        h.startWith(settings -> settings.with(WorkerSettings.SUCCEEDED_RETENTION, "1h"), new FlakyHandler(h));
        long id = h.tasks().enqueue(FlakyHandler.class, new Ref("r1"), h.options());

        assertEquals(Outcome.SUCCEEDED, h.runOne());

        Task row = h.row(id);
        assertEquals(TaskState.SUCCEEDED, row.getState());
        assertEquals(h.clock.instant(), row.getFinishedAt());
    }

    @Test
    void aFailureRollsBackTheHandlersWritesAndRetriesAfterAJitteredBackoffThenFails() {
        FlakyHandler handler = new FlakyHandler(h);
        handler.failures.set(10);
        h.start(handler);
        long id = h.tasks().enqueue(FlakyHandler.class, new Ref("r1"), h.options());

        // Attempt 1 fails: back-off 10 s, jittered into [5 s, 10 s].
        Instant failedAt = h.clock.instant();
        assertEquals(Outcome.RETRYING, h.runOne());
        Task afterFirst = h.row(id);
        assertEquals(TaskState.PENDING, afterFirst.getState());
        assertEquals(1, afterFirst.getAttempt());
        assertBetween(failedAt.plusSeconds(5), failedAt.plusSeconds(10), afterFirst.getEta());
        assertTrue(afterFirst.getLastError().startsWith("java.io.IOException: partner API down"),
                afterFirst.getLastError());
        assertTrue(afterFirst.getLastError().contains("at dev.taskq.RunTest$FlakyHandler.handle"));
        assertEquals(List.of(), h.ledger(), "the failed attempt's write was rolled back");

        // Not due before its back-off has passed.
        h.clock.advance(Duration.between(failedAt, afterFirst.getEta()).minusMillis(1));
        assertEquals(List.of(), h.engine().claimer().runOnce());
        h.clock.advance(Duration.ofMillis(1));

        // Attempt 2 fails: back-off 20 s capped at 15 s, jittered into [7.5 s, 15 s].
        Instant secondFailure = h.clock.instant();
        assertEquals(Outcome.RETRYING, h.runOne());
        Task afterSecond = h.row(id);
        assertEquals(2, afterSecond.getAttempt());
        assertBetween(secondFailure.plusMillis(7_500), secondFailure.plusSeconds(15), afterSecond.getEta());

        // Attempt 3 is the last: FAILED, the dead letter, with its error.
        h.clock.advance(Duration.ofSeconds(15));
        assertEquals(Outcome.FAILED, h.runOne());
        Task dead = h.row(id);
        assertEquals(TaskState.FAILED, dead.getState());
        assertEquals(3, dead.getAttempt());
        assertEquals(h.clock.instant(), dead.getFinishedAt());
        assertNotNull(dead.getLastError());
        assertEquals(List.of(), h.engine().claimer().runOnce(), "a FAILED task is never claimed");
        assertEquals(List.of(), h.ledger());
    }

    @Test
    void onlyRetryOnExceptionsRetry() {
        FlakyHandler handler = new FlakyHandler(h);
        handler.failures.set(1);
        handler.error = () -> new IllegalArgumentException("not an IOException");
        h.start(handler);
        long id = h.tasks().enqueue(FlakyHandler.class, new Ref("r1"), h.options());

        assertEquals(Outcome.FAILED, h.runOne());
        assertEquals(TaskState.FAILED, h.row(id).getState());
        assertEquals(1, h.row(id).getAttempt());
    }

    @Test
    void noRetryForWinsOverRetryOn() {
        FlakyHandler handler = new FlakyHandler(h);
        handler.failures.set(1);
        handler.error = () -> new java.io.FileNotFoundException("gone for good"); // an IOException, but listed
        h.start(handler);
        long id = h.tasks().enqueue(FlakyHandler.class, new Ref("r1"), h.options());

        assertEquals(Outcome.FAILED, h.runOne());
        assertTrue(h.row(id).getLastError().startsWith("java.io.FileNotFoundException: gone for good"));
    }

    @Test
    void maxAttemptsFromTheOptionsOverrideTheHandlers() {
        FlakyHandler handler = new FlakyHandler(h);
        handler.failures.set(1);
        h.start(handler);
        long id = h.tasks().enqueue(FlakyHandler.class, new Ref("r1"), h.options().withMaxAttempts(1));

        assertEquals(Outcome.FAILED, h.runOne());
        assertEquals(TaskState.FAILED, h.row(id).getState());
    }

    @Test
    void aFailureToCommitTheHandlersWorkIsAFailedAttempt() {
        FlakyHandler handler = new FlakyHandler(h);
        h.start(handler);
        // A ref longer than the ledger column allows fails at flush, after the handler returned; the error is
        // not an IOException, so by the handler's @Retry it does not retry.
        long id = h.tasks().enqueue(FlakyHandler.class, new Ref("x".repeat(300)), h.options());

        assertEquals(Outcome.FAILED, h.runOne());
        assertTrue(h.row(id).getLastError().contains("value too long"), h.row(id).getLastError());
    }

    @Test
    void aNotSupportedHandlerRunsOutsideAnyTransaction() {
        OutsideHandler handler = new OutsideHandler(h);
        h.start(handler);
        h.tasks().enqueue(OutsideHandler.class, null, h.options());

        assertEquals(Outcome.COMPLETING, h.runOne());
        assertEquals(false, handler.sawTransaction);
        h.engine().runner().flushCompletions();
        assertEquals(List.of(), h.rows());
    }

    private static void assertBetween(Instant low, Instant high, Instant actual) {
        assertTrue(!actual.isBefore(low) && !actual.isAfter(high), actual + " not in [" + low + ", " + high + "]");
    }

}
