package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.Engine;
import dev.taskq.internal.TaskRunner.Outcome;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A handler's own context (its task's id, attempt, queue, times) and the ways it can end an attempt: snooze (again
 * later, not counted), retry after a delay it chooses (counted), fail for good at once.
 */
class EndAttemptTest {

    /** Writes its ledger row, notes its context, then ends the attempt as {@code end} says (null: success). */
    @TaskName("end-attempt")
    @Retry(maxAttempts = 3, backoff = 1)
    static final class Deciding implements TaskHandler<Ref> {
        private final QueueHarness harness;
        private final TaskContext context;
        volatile Function<TaskContext, EndAttempt> end = context -> null;
        volatile String seen;

        Deciding(QueueHarness harness, TaskContext context) {
            this.harness = harness;
            this.context = context;
        }

        @Override
        public void handle(Ref args) {
            harness.writeLedger(args.ref() + " attempt " + context.attempt());
            seen = context.id() + " " + context.name() + " " + context.queue() + " " + context.attempt() + "/"
                    + context.maxAttempts() + " " + context.enqueuedAt() + " " + context.dueAt();
            EndAttempt ending = end.apply(context);
            if (ending != null) {
                throw ending;
            }
        }
    }

    /** Snoozes outside any transaction: its outcome is recorded all the same. */
    @TaskName("end-attempt-outside")
    @Transactional(TxType.NOT_SUPPORTED)
    static final class SnoozingOutside implements TaskHandler<Void> {
        @Override
        public void handle(Void args) {
            throw EndAttempt.snooze(Duration.ofSeconds(30));
        }
    }

    private final QueueHarness h = new QueueHarness();
    private Deciding handler;

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private long start() {
        handler = new Deciding(h, Engine.taskContext()); // before the engine exists, as Java SE code gives it
        h.start(handler, new SnoozingOutside());
        return h.tasks().enqueue(Deciding.class, new Ref("r"), h.options());
    }

    @Test
    void theHandlerReadsItsTasksContextWhichIsNoneElsewhere() {
        long id = start();
        Task row = h.row(id);

        assertEquals(Outcome.SUCCEEDED, h.runOne());

        assertEquals(id + " end-attempt " + h.queue + " 1/3 " + row.getCreatedAt() + " " + row.getEta(), handler.seen);
        IllegalStateException outside = assertThrows(IllegalStateException.class, () -> Engine.taskContext().id());
        assertTrue(outside.getMessage().startsWith("No task runs on this thread"), outside.getMessage());
    }

    @Test
    void aSnoozeRunsTheTaskAgainLaterWithoutCountingTheAttemptAndUndoesItsWrites() {
        long id = start();
        handler.end = context -> EndAttempt.snooze(Duration.ofMinutes(10));

        for (int snooze = 0; snooze < 5; snooze++) { // more snoozes than attempts: none is counted
            assertEquals(Outcome.SNOOZED, h.runOne());
            Task row = h.row(id);
            assertEquals(TaskState.PENDING, row.getState());
            assertEquals(0, row.getAttempt());
            assertEquals(h.clock.instant().plus(Duration.ofMinutes(10)), row.getEta());
            assertEquals(List.of(), h.engine().claimer().runOnce(), "not due before the snooze ends");
            h.clock.advance(Duration.ofMinutes(10));
        }
        handler.end = context -> null;
        assertEquals(Outcome.SUCCEEDED, h.runOne());

        assertEquals(List.of("r attempt 1"), h.ledger(), "only the attempt that ran to its end committed its write");
    }

    @Test
    void aRetryAfterADelayTheHandlerChoosesCountsTheAttempt() {
        long id = start();
        handler.end = context -> EndAttempt.retryAfter(Duration.ofHours(2));

        assertEquals(Outcome.RETRYING, h.runOne());
        Task row = h.row(id);
        assertEquals(1, row.getAttempt());
        assertEquals(h.clock.instant().plus(Duration.ofHours(2)), row.getEta(), "the handler's delay, not @Retry's");

        h.clock.advance(Duration.ofHours(2));
        assertEquals(Outcome.RETRYING, h.runOne());
        h.clock.advance(Duration.ofHours(2));
        assertEquals(Outcome.FAILED, h.runOne(), "the third attempt was the last");
        assertEquals(TaskState.FAILED, h.row(id).getState());
    }

    @Test
    void aFailureForGoodEndsTheTaskAtOnceWithItsReason() {
        long id = start();
        handler.end = context -> EndAttempt.failNow("the customer closed the account");

        assertEquals(Outcome.FAILED, h.runOne());

        Task row = h.row(id);
        assertEquals(TaskState.FAILED, row.getState());
        assertEquals(1, row.getAttempt(), "on its first of 3 attempts");
        assertTrue(row.getLastError().contains("the customer closed the account"), row.getLastError());
        assertEquals(List.of(), h.ledger(), "its write rolled back");
    }

    @Test
    void aHandlerOutsideATransactionSnoozesToo() {
        start(); // the Deciding task is due too: both run
        long id = h.tasks().enqueue(SnoozingOutside.class, null, h.options());
        for (ClaimedTask task : h.engine().claimer().runOnce()) {
            h.engine().runner().run(task);
        }

        Task row = h.row(id);
        assertEquals(TaskState.PENDING, row.getState());
        assertEquals(0, row.getAttempt());
        assertEquals(h.clock.instant().plus(Duration.ofSeconds(30)), row.getEta());
    }

    @Test
    void aDelayOutOfRangeIsRefusedWithTheRule() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> EndAttempt.snooze(Duration.ZERO));
        assertEquals("EndAttempt.snooze needs a delay above zero and at most 365 days, but was PT0S.", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EndAttempt.retryAfter(Duration.ofDays(366)));
    }

}
