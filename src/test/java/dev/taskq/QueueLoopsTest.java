package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.LedgerHandler;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A queue listed as {@code name:N} runs on N loops of its own: however slow its tasks, it takes no more of the
 * node's loops, and the other queues run on theirs meanwhile.
 */
class QueueLoopsTest {

    /** Blocks until released, counting how many of it run at once. */
    @TaskName("queue-loops-slow")
    public static final class Slow implements TaskHandler<Ref> {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();

        @Override
        public void handle(Ref args) throws InterruptedException {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                release.await(1, TimeUnit.MINUTES);
            } finally {
                running.decrementAndGet();
                done.incrementAndGet();
            }
        }
    }

    private final QueueHarness h = new QueueHarness();
    private final String slowQueue = h.queue + "-slow";
    private final Slow slow = new Slow();

    @AfterEach
    void close() throws Exception {
        slow.release.countDown();
        h.close();
    }

    @Test
    void aSlowQueueWithOneLoopOfItsOwnTakesNoOtherLoop() {
        h.startWith(settings -> settings.with(WorkerSettings.QUEUES, slowQueue + ":1," + h.queue)
                .with(WorkerSettings.THREADS, "2"), slow, new LedgerHandler(h));
        h.tasks().enqueueAll(Slow.class, IntStream.range(0, 5).mapToObj(i -> new Ref("slow-" + i)).toList(),
                TaskOptions.defaults().withQueue(slowQueue));
        h.tasks().enqueueAll(LedgerHandler.class, IntStream.range(0, 50).mapToObj(i -> new Ref("fast-" + i)).toList(),
                h.options());

        h.startWorker();
        Await.until(Duration.ofSeconds(30), "the other queue's 50 tasks ran while the slow one blocks",
                () -> h.ledger().size() == 50);
        Await.until(Duration.ofSeconds(10), "a slow task runs", () -> slow.running.get() == 1);
        assertEquals(0, slow.done.get(), "the slow task still blocks");

        slow.release.countDown();
        Await.until(Duration.ofSeconds(30), "the slow tasks ran", () -> slow.done.get() == 5);
        assertEquals(1, slow.mostAtOnce.get(), "the slow queue never ran on more than its one loop");
    }
}
