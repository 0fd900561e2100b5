package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.LedgerHandler;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker claims only what its loops can start, plus the prefetch: a blocked task holds up nothing else. */
class DispatchTest {

    private final QueueHarness h = new QueueHarness();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() throws Exception {
        release.countDown();
        h.close();
    }

    /** Blocks until the test lets it go. */
    @TaskName("blocking")
    final class Blocking implements TaskHandler<Ref> {
        final CountDownLatch started = new CountDownLatch(1);

        @Override
        public void handle(Ref args) throws InterruptedException {
            started.countDown();
            release.await();
            h.writeLedger(args.ref());
        }
    }

    /** Takes 100 ms, far longer than a claim, and notes how many tasks this node held when it started. */
    @TaskName("slow")
    final class Slow implements TaskHandler<Ref> {
        final java.util.concurrent.atomic.AtomicInteger mostHeld = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void handle(Ref args) {
            mostHeld.accumulateAndGet(h.engine().running().size(), Math::max);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            h.writeLedger(args.ref());
        }
    }

    @Test
    void tasksThatTakeLongerThanAClaimGetAShortLineThoughThePrefetchIsLarge() {
        Slow slow = new Slow();
        h.startWith(settings -> settings.with(WorkerSettings.THREADS, "2").with(WorkerSettings.PREFETCH, "64"), slow);
        h.tasks().enqueueAll(Slow.class, IntStream.range(0, 20).mapToObj(i -> new Ref("s" + i)).toList(),
                h.options());

        h.startWorker();
        Await.until(Duration.ofSeconds(60), "all ran", () -> h.ledger().size() == 20);

        // The line is twice what the loops finish during a claim: below 2 + 8 unless claims took over 200 ms. A line
        // of the whole prefetch would have held all 20 tasks at once.
        assertTrue(slow.mostHeld.get() < 2 + 8, "2 loops and a short line, not the prefetch of 64, but the node held "
                + slow.mostHeld.get());
    }

    @Test
    void aBlockedTaskDelaysNoneOfAThousandShortOnesWhileLoopsAreFree() throws Exception {
        Blocking blocking = new Blocking();
        h.start(blocking, new LedgerHandler(h)); // 4 loops, the default prefetch
        h.tasks().enqueue(Blocking.class, new Ref("blocked"), h.options().withPriority(10));
        List<Ref> shortOnes = IntStream.range(0, 1_000).mapToObj(i -> new Ref("short-" + i)).toList();
        h.tasks().enqueueAll(LedgerHandler.class, shortOnes, h.options());

        h.startWorker();
        assertTrue(blocking.started.await(30, TimeUnit.SECONDS), "the blocking task started first");
        Await.until(Duration.ofMinutes(2), "the short tasks all ran while the blocked one blocks",
                () -> h.ledger().size() == 1_000);

        assertEquals(1, h.remaining(), "only the blocked task is left");
        assertEquals(TaskState.RUNNING, h.rows().get(0).getState());
        release.countDown();
        Await.until(Duration.ofSeconds(30), "the blocked task finishes once let go", () -> h.remaining() == 0);
    }

    @Test
    void onlyTasksALoopCanStartArePrefetchedAndOnStopTheyAreGivenBackUncharged() throws Exception {
        Blocking blocking = new Blocking();
        h.startWith(settings -> settings.with(WorkerSettings.THREADS, "2").with(WorkerSettings.PREFETCH, "3"),
                blocking);
        h.tasks().enqueueAll(Blocking.class, IntStream.range(0, 20).mapToObj(i -> new Ref("b" + i)).toList(),
                h.options());

        var worker = h.startWorker();
        Await.until(Duration.ofSeconds(30), "both loops are blocked", () -> h.engine().running().size() >= 2
                && blocking.started.getCount() == 0);
        // The loops are blocked; whatever was claimed beside them is the prefetch, and nothing more is claimed.
        for (int look = 0; look < 5; look++) {
            long running = h.count(TaskState.RUNNING);
            assertTrue(running >= 2 && running <= 2 + 3, "2 loops + prefetch 3 at most, but " + running
                    + " tasks are RUNNING");
            worker.wakeUp(); // a wake-up claims no more while no loop is free
        }

        release.countDown();
        Await.until(Duration.ofSeconds(30), "the two running tasks finished", () -> h.ledger().size() >= 2);
        worker.stop();
        assertEquals(0, h.count(TaskState.RUNNING), "nothing left RUNNING after a graceful stop");
        h.rows().stream().filter(task -> task.getState() == TaskState.PENDING).forEach(task -> assertEquals(
                0, task.getAttempt(), "a prefetched task that never started is not charged an attempt"));
        assertEquals(20, h.ledger().size() + h.count(TaskState.PENDING), "every task ran or waits, none lost");
    }
}
