package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskq.support.LedgerHandler;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A unique key: at most one live task holds it; enqueueing it again is a no-op that returns that task. */
class UniqueKeyTest {

    private final QueueHarness h = new QueueHarness();

    @BeforeEach
    void start() {
        h.start(new LedgerHandler(h));
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    /** Keys are global across queues, so each test prefixes them with its own queue. */
    private long enqueue(String ref, String key) {
        return h.tasks().enqueue(LedgerHandler.class, new Ref(ref), h.options().withUniqueKey(h.queue + ":" + key));
    }

    @Test
    void aKeyHeldByALiveTaskReturnsThatTask() {
        long first = enqueue("first", "report-42");
        long second = enqueue("second", "report-42");

        assertEquals(first, second);
        assertEquals(1, h.rows().size());
        assertEquals("{\"ref\": \"first\"}", h.row(first).getArgs(), "the first enqueue wins");
    }

    @Test
    void aKeyIsFreeAgainOnceItsTaskHasRunOrFailed() {
        long first = enqueue("first", "report-42");
        h.engine().runner().run(h.engine().claimer().runOnce().get(0));
        long second = enqueue("second", "report-42");
        assertNotEquals(first, second);

        h.tx.requiresNew(em -> em.createNativeQuery("update taskq_task set state = 'FAILED' where id = " + second)
                .executeUpdate());
        assertNotEquals(second, enqueue("third", "report-42"));
    }

    @Test
    void aKeyFromARolledBackEnqueueIsNotHeld() {
        assertThrows(IllegalStateException.class, () -> h.tx.required(em -> {
            enqueue("rolled-back", "k");
            throw new IllegalStateException("rollback");
        }));
        enqueue("kept", "k");

        assertEquals(List.of("{\"ref\": \"kept\"}"), h.rows().stream().map(Task::getArgs).toList());
    }

    @Test
    void sixteenConcurrentEnqueuersGetOneTaskAndEveryCallerTransactionCommits() throws Exception {
        int callers = 16;
        CyclicBarrier together = new CyclicBarrier(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Long>> ids = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String caller = "caller-" + i;
                ids.add(pool.submit(() -> h.tx.required(em -> {
                    h.writeLedger(caller); // the caller's own business write, before and after the enqueue
                    awaitOthers(together);
                    long id = enqueue(caller, "nightly-report");
                    h.writeLedger(caller + "-after");
                    return id;
                })));
            }
            HashSet<Long> distinct = new HashSet<>();
            for (Future<Long> id : ids) {
                distinct.add(id.get(60, TimeUnit.SECONDS));
            }

            assertEquals(1, distinct.size(), "every caller got the id of the one task");
            assertEquals(List.copyOf(distinct), h.rows().stream().map(Task::getId).toList());
            assertEquals(2 * callers, h.ledger().size(), "no caller's transaction was broken");
            assertEquals(IntStream.range(0, callers).mapToObj(i -> "caller-" + i).collect(
                    java.util.stream.Collectors.toSet()), new HashSet<>(h.ledger().stream()
                    .filter(ref -> !ref.endsWith("-after")).toList()));
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitOthers(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
