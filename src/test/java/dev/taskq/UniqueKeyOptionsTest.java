package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.TaskRunner.Outcome;
import dev.taskq.support.LedgerHandler;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A unique key's options: a period after enqueue that succeeded tasks keep holding, replacing and debouncing the
 * pending holder, and keys of a queue's own.
 */
class UniqueKeyOptionsTest {

    /** Runs outside a transaction: its success is recorded by the completion batch. */
    @TaskName("unique-outside")
    @Transactional(TxType.NOT_SUPPORTED)
    static final class Outside implements TaskHandler<Ref> {
        @Override
        public void handle(Ref args) {
        }
    }

    private final QueueHarness h = new QueueHarness();
    private final String key = "k-" + UUID.randomUUID();

    @BeforeEach
    void start() {
        h.start(new LedgerHandler(h), new Outside()); // succeeded tasks are not kept: retention 0
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private long enqueue(String ref, TaskOptions options) {
        return h.tasks().enqueue(LedgerHandler.class, new Ref(ref), options);
    }

    @Test
    void aKeyWithAPeriodHoldsAfterItsTaskSucceededUntilThePeriodEnds() {
        TaskOptions hourly = h.options().withUniqueKey(key, Duration.ofHours(1));
        long first = enqueue("first", hourly);
        assertEquals(Outcome.SUCCEEDED, h.runOne());
        Task kept = h.row(first);
        assertEquals(TaskState.SUCCEEDED, kept.getState(), "kept for its key, though succeeded tasks are not kept");
        assertEquals(kept.getCreatedAt().plus(Duration.ofHours(1)), kept.getUniqueUntil());

        h.clock.advance(Duration.ofMinutes(59));
        assertEquals(first, enqueue("within the hour", hourly));
        h.engine().pruner().runOnce(); // (it prunes the whole table: other tests' rows too)
        assertEquals(List.of(first), h.rows().stream().map(Task::getId).toList(), "kept while it holds its key");
        assertEquals(List.of("first"), h.ledger());

        h.clock.advance(Duration.ofMinutes(2));
        h.engine().pruner().runOnce();
        assertEquals(List.of(), h.rows(), "pruned once its key no longer holds");
        long next = enqueue("the next hour", hourly);
        assertNotEquals(first, next);
        assertEquals(List.of(next), h.rows().stream().map(Task::getId).toList());
    }

    @Test
    void aKeyWithoutAPeriodIsFreeOnceItsTaskSucceeded() {
        long first = enqueue("first", h.options().withUniqueKey(key));
        h.runOne();
        assertNotEquals(first, enqueue("second", h.options().withUniqueKey(key)));
    }

    @Test
    void aSuccessRecordedInABatchKeepsItsKeyToo() {
        TaskOptions hourly = h.options().withUniqueKey(key, Duration.ofHours(1));
        long first = h.tasks().enqueue(Outside.class, new Ref("outside"), hourly);
        long plain = h.tasks().enqueue(Outside.class, new Ref("plain"), h.options());
        for (ClaimedTask task : h.engine().claimer().runOnce()) {
            h.engine().runner().run(task);
        }
        h.engine().runner().flushCompletions();

        assertEquals(List.of(first), h.rows().stream().map(Task::getId).toList(), "the plain one is deleted");
        assertEquals(TaskState.SUCCEEDED, h.row(first).getState());
        assertEquals(first, h.tasks().enqueue(Outside.class, new Ref("again"), hourly));
        assertTrue(plain != first);
    }

    @Test
    void replacingGivesThePendingHolderTheNewArguments() {
        TaskOptions replacing = h.options().withUniqueKey(key).replacing();
        long first = enqueue("first", replacing);
        assertEquals(first, enqueue("second", replacing));
        assertEquals(first, enqueue("third", replacing));

        assertEquals("{\"ref\": \"third\"}", h.row(first).getArgs());
        h.runOne();
        assertEquals(List.of("third"), h.ledger(), "the last enqueue's arguments ran, once");
    }

    @Test
    void debouncingPushesThePendingHolderBackUntilTheEnqueuesStop() {
        TaskOptions debounced = h.options().withUniqueKey(key).debouncing(Duration.ofSeconds(30));
        long first = enqueue("first", debounced);
        for (int burst = 0; burst < 3; burst++) {
            h.clock.advance(Duration.ofSeconds(20));
            assertEquals(List.of(), h.engine().claimer().runOnce(), "not due while enqueues keep coming");
            assertEquals(first, enqueue("burst " + burst, debounced));
            assertEquals(h.clock.instant().plusSeconds(30), h.row(first).getEta());
        }
        h.clock.advance(Duration.ofSeconds(30));
        h.runOne();
        assertEquals(List.of("first"), h.ledger(), "without replacing, the first arguments stay");
    }

    @Test
    void aRunningHolderIsLeftAsItIs() {
        TaskOptions replacing = h.options().withUniqueKey(key).replacing().debouncing(Duration.ofMinutes(1));
        long first = enqueue("first", h.options().withUniqueKey(key));
        ClaimedTask running = h.engine().claimer().runOnce().get(0);

        assertEquals(first, enqueue("second", replacing));
        assertEquals("{\"ref\": \"first\"}", h.row(first).getArgs());
        assertEquals(Outcome.SUCCEEDED, h.engine().runner().run(running));
        assertEquals(List.of("first"), h.ledger());
    }

    @Test
    void aKeyOfAQueuesOwnMayBeHeldInEachQueueButAGlobalKeyOnlyOnce() {
        String other = h.queue + "-other";
        long here = enqueue("here", h.options().withUniqueKey(key).uniquePerQueue());
        long there = enqueue("there", TaskOptions.defaults().withQueue(other).withUniqueKey(key).uniquePerQueue());
        long global = enqueue("global", h.options().withUniqueKey(key));
        try {
            assertNotEquals(here, there);
            assertNotEquals(here, global, "a global key is another key than a queue's own of the same text");
            assertEquals(here, enqueue("here again", h.options().withUniqueKey(key).uniquePerQueue()));
            assertEquals(global, enqueue("global again", TaskOptions.defaults().withQueue(other).withUniqueKey(key)));
            assertTrue(h.row(here).isUniquePerQueue());
        } finally {
            h.tx.requiresNew(em -> em.createQuery("delete from Task t where t.queue = :queue")
                    .setParameter("queue", other).executeUpdate());
        }
    }

    @Test
    void keyOptionsNeedAKeyAndSensibleDurations() {
        TaskQueueException noKey = assertThrows(TaskQueueException.class, () -> h.options().replacing());
        assertTrue(noKey.getMessage().startsWith("TaskOptions.replacing applies to a unique key: call withUniqueKey "
                + "first"), noKey.getMessage());
        assertThrows(TaskQueueException.class, () -> h.options().debouncing(Duration.ofSeconds(1)));
        assertThrows(TaskQueueException.class, () -> h.options().uniquePerQueue());
        TaskQueueException zero = assertThrows(TaskQueueException.class,
                () -> h.options().withUniqueKey(key, Duration.ZERO));
        assertEquals("TaskOptions.withUniqueKey needs a period above zero and at most 365 days, but was PT0S.",
                zero.getMessage());
        assertThrows(TaskQueueException.class, () -> h.options().withUniqueKey(key).debouncing(Duration.ofDays(366)));
        assertEquals(List.of(), h.rows());
    }
}
