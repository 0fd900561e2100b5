package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskq.support.Await;
import dev.taskq.support.LedgerHandler;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import dev.taskq.support.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A session holds the xmin horizon for 60 seconds (an open repeatable-read transaction, as a long report or a
 * forgotten psql session does) while tasks keep coming: no dead row can be removed meanwhile, so they pile up under
 * the claims, yet nothing fails, and every task's work commits exactly once.
 */
class XminHorizonTest {

    private static final Duration HELD = Duration.ofSeconds(60);
    private static final int EVERY_100_MS = 20;

    private final QueueHarness h = new QueueHarness();
    private final ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void close() throws Exception {
        feeder.shutdownNow();
        h.close();
    }

    @Test
    void aSessionHoldingTheHorizonForAMinuteSlowsTheQueueButFailsNothing() throws Exception {
        h.start(new LedgerHandler(h));
        h.startWorker();
        AtomicInteger enqueued = new AtomicInteger();
        try (Connection horizon = TestDatabase.get().connect(); Statement statement = horizon.createStatement()) {
            horizon.setAutoCommit(false);
            statement.execute("set transaction isolation level repeatable read");
            statement.executeQuery("select count(*) from taskq_task").close(); // takes the snapshot, and holds it
            long end = System.nanoTime() + HELD.toNanos();
            feeder.scheduleAtFixedRate(() -> {
                int first = enqueued.getAndAdd(EVERY_100_MS);
                h.tasks().enqueueAll(LedgerHandler.class, IntStream.range(first, first + EVERY_100_MS)
                        .mapToObj(i -> new Ref("x" + i)).toList(), h.options());
            }, 0, 100, TimeUnit.MILLISECONDS);
            Await.until(HELD.plusSeconds(10), "the horizon was held for a minute", () -> System.nanoTime() > end);
            feeder.shutdown();
            assertEquals(true, feeder.awaitTermination(30, TimeUnit.SECONDS), "the feeder stopped");
            horizon.rollback();
        }
        int total = enqueued.get();
        Await.until(Duration.ofMinutes(2), "every task ran", () -> h.remaining() == 0);

        List<String> ledger = h.ledger();
        System.out.printf("%d tasks enqueued and run while the horizon was held%n", total);
        assertEquals(total, ledger.size(), "every task ran: none failed, none lost");
        assertEquals(total, new HashSet<>(ledger).size(), "none ran twice");
    }
}
