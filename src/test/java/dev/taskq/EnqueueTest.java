package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.Engine;
import dev.taskq.internal.LocalTransactions;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.LedgerHandler;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import dev.taskq.support.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Enqueueing is exactly as durable as the caller's transaction. */
class EnqueueTest {

    private final QueueHarness h = new QueueHarness();

    @BeforeEach
    void start() {
        h.start(new LedgerHandler(h));
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void commitLeavesExactlyOneTaskBesideTheBusinessRow() {
        long id = h.tx.required(em -> {
            h.writeLedger("order-1");
            return h.tasks().enqueue(LedgerHandler.class, new Ref("order-1"), h.options());
        });

        List<Task> rows = h.rows();
        assertEquals(1, rows.size());
        Task task = rows.get(0);
        assertEquals(id, task.getId());
        assertEquals(TaskState.PENDING, task.getState());
        assertEquals("ledger", task.getName());
        assertEquals(h.queue, task.getQueue());
        assertEquals("{\"ref\": \"order-1\"}", task.getArgs());
        assertEquals(0, task.getAttempt());
        assertEquals(3, task.getMaxAttempts(), "the default of @Retry");
        assertEquals(h.clock.instant(), task.getEta());
        assertEquals(h.clock.instant(), task.getCreatedAt());
        assertEquals(List.of("order-1"), h.ledger());
    }

    @Test
    void rollbackLeavesNeitherTaskNorBusinessRowAndNothingToClaim() {
        assertThrows(IllegalStateException.class, () -> h.tx.required(em -> {
            h.writeLedger("order-2");
            h.tasks().enqueue(LedgerHandler.class, new Ref("order-2"), h.options());
            throw new IllegalStateException("payment declined");
        }));

        assertEquals(List.of(), h.rows());
        assertEquals(List.of(), h.ledger());
        assertEquals(List.of(), h.engine().claimer().runOnce());
    }

    @Test
    void withoutTransactionEachEnqueueCommitsOnItsOwn() {
        long first = h.tasks().enqueue(LedgerHandler.class, new Ref("a"), h.options());
        long second = h.tasks().enqueue("ledger", new Ref("b"), h.options());

        assertNotEquals(first, second);
        assertEquals(List.of(first, second), h.rows().stream().map(Task::getId).toList());
    }

    @Test
    void optionsAreStoredOnTheRow() {
        Instant eta = h.clock.instant().plus(Duration.ofHours(2));
        long delayed = h.tasks().enqueue(LedgerHandler.class, new Ref("d"),
                h.options().withDelay(Duration.ofMinutes(5)).withPriority(7).withMaxAttempts(9));
        long scheduled = h.tasks().enqueue(LedgerHandler.class, new Ref("e"), h.options().withEta(eta));

        Task first = h.row(delayed);
        assertEquals(h.clock.instant().plus(Duration.ofMinutes(5)), first.getEta());
        assertEquals(7, first.getPriority());
        assertEquals(9, first.getMaxAttempts());
        Task second = h.row(scheduled);
        assertEquals(eta, second.getEta());
        assertEquals(0, second.getPriority());
        assertNull(second.getUniqueKey());
    }

    @Test
    void enqueueAllWritesOneTaskPerArgumentInOneTransaction() {
        List<Ref> refs = IntStream.range(0, 1_000).mapToObj(i -> new Ref("bulk-" + i)).toList();

        List<Long> ids = h.tasks().enqueueAll(LedgerHandler.class, refs, h.options());

        assertEquals(1_000, new HashSet<>(ids).size());
        List<Task> rows = h.rows();
        assertEquals(ids, rows.stream().map(Task::getId).toList());
        assertEquals("{\"ref\": \"bulk-999\"}", rows.get(999).getArgs());
    }

    /** The README recommends the driver's {@code reWriteBatchedInserts}: Hibernate's batches become multi-row inserts. */
    @Test
    void enqueueAllWorksWhenTheDriverRewritesBatchesIntoMultiRowInserts() {
        TestDatabase database = TestDatabase.get();
        try (EntityManagerFactory rewriting = database.entityManagerFactoryAt(
                database.urlWith("reWriteBatchedInserts=true"), Map.of())) {
            TaskQueue tasks = Engine.create(new LocalTransactions(rewriting), WorkerSettings.defaults(), h.clock,
                    new LedgerHandler(h)).queue();
            List<Ref> refs = IntStream.range(0, 1_000).mapToObj(i -> new Ref("rewritten-" + i)).toList();

            List<Long> ids = tasks.enqueueAll(LedgerHandler.class, refs, h.options());

            List<Task> rows = h.rows();
            assertEquals(ids, rows.stream().map(Task::getId).toList());
            assertEquals(refs.stream().map(ref -> "{\"ref\": \"" + ref.ref() + "\"}").toList(),
                    rows.stream().map(Task::getArgs).toList());
        }
    }

    @Test
    void enqueueAllRejectsAUniqueKey() {
        TaskQueueException e = assertThrows(TaskQueueException.class, () -> h.tasks().enqueueAll(
                LedgerHandler.class, List.of(new Ref("x")), h.options().withUniqueKey("k")));
        assertTrue(e.getMessage().contains("cannot take a unique key"), e.getMessage());
    }
}
