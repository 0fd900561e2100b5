package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.Engine;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.LedgerHandler;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MaxRunning}: however many nodes, loops and queues take a handler's tasks, no more of them run at once than
 * its limit; the tasks beyond it wait uncharged and hold back no other handler's tasks; every task runs once.
 */
class HandlerLimitTest {

    private static final int LIMIT = 3;
    private static final int TASKS = 60;

    /** Counts how many of its calls run at once, in every node of this JVM, and writes its ledger row. */
    @TaskName("limited")
    @MaxRunning(LIMIT)
    static final class Limited implements TaskHandler<Ref> {
        static final AtomicInteger NOW = new AtomicInteger();
        static final AtomicInteger MOST = new AtomicInteger();
        private final QueueHarness harness;

        Limited(QueueHarness harness) {
            this.harness = harness;
        }

        @Override
        public void handle(Ref args) {
            MOST.accumulateAndGet(NOW.incrementAndGet(), Math::max);
            try {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // the partner's answer takes a while
                harness.writeLedger(args.ref());
            } finally {
                NOW.decrementAndGet();
            }
        }
    }

    private final QueueHarness h = new QueueHarness();
    private final List<ExecutorService> pools = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        pools.forEach(ExecutorService::shutdownNow);
        h.close();
        // Claimed and never run here: left RUNNING, they would be the oldest dirty tasks of other tests' checks.
        h.tx.requiresNew(em -> em.createQuery("delete from Task t where t.queue in (:queues)")
                .setParameter("queues", List.of(h.queue, h.queue + "-b")).executeUpdate());
    }

    @Test
    void tasksBeyondTheLimitWaitUnchargedAndHoldBackNoOtherHandlersTasks() {
        h.startWith(settings -> settings.with(WorkerSettings.PREFETCH, "0").with(WorkerSettings.THREADS, "8"),
                new Limited(h), new LedgerHandler(h)); // a claim of 8: room for all but the limited tasks
        h.tasks().enqueueAll(Limited.class, IntStream.range(0, 10).mapToObj(i -> new Ref("limited " + i)).toList(),
                h.options().withPriority(1)); // first in line
        h.tasks().enqueueAll(LedgerHandler.class, List.of(new Ref("free 1"), new Ref("free 2")), h.options());

        List<ClaimedTask> first = h.engine().claimer().runOnce();
        assertEquals(LIMIT, first.stream().filter(task -> task.name().equals("limited")).count());
        assertEquals(2, first.stream().filter(task -> task.name().equals("ledger")).count(), "not held back");
        assertEquals(List.of(), h.engine().claimer().runOnce(), "the limit is full");
        assertEquals(7, h.rows().stream().filter(task -> task.getState() == TaskState.PENDING
                && task.getAttempt() == 0).count(), "the others wait, charged nothing");

        h.engine().runner().run(first.get(0));
        assertEquals(1, h.engine().claimer().runOnce().size(), "one ended: room for one");
    }

    @Test
    void twoNodesWithTwoQueuesNeverRunMoreThanTheLimitTogether() {
        Limited.NOW.set(0);
        Limited.MOST.set(0);
        h.start(new Limited(h));
        String other = h.queue + "-b";
        h.tasks().enqueueAll(Limited.class, IntStream.range(0, TASKS / 2).mapToObj(i -> new Ref("a" + i)).toList(),
                h.options());
        h.tasks().enqueueAll(Limited.class, IntStream.range(0, TASKS / 2).mapToObj(i -> new Ref("b" + i)).toList(),
                TaskOptions.defaults().withQueue(other));
        startNode("limited-x-" + h.queue, other);
        startNode("limited-y-" + h.queue, other);

        Await.until(Duration.ofSeconds(60), "every task ran", () -> h.ledger().size() >= TASKS);
        assertTrue(Limited.MOST.get() <= LIMIT, "at most " + LIMIT + " at once, but " + Limited.MOST.get());
        List<String> ledger = h.ledger(); // each row under the harness's queue, whichever queue its task came from
        assertEquals(TASKS, ledger.size(), "one ledger row per task");
        assertEquals(TASKS, new HashSet<>(ledger).size(), "no task ran twice");
    }

    /** With a poll of ten minutes, only the wake at a limited task's end can start the next ones in time. */
    @Test
    void aNodeWhoseLimitedTaskEndsClaimsTheNextAtOnce() {
        h.startWith(settings -> settings.with(WorkerSettings.POLL_INTERVAL, "10m"), new Limited(h));
        h.tasks().enqueueAll(Limited.class, IntStream.range(0, 2 * LIMIT + 1).mapToObj(i -> new Ref("w" + i)).toList(),
                h.options());
        h.startWorker();

        Await.until(Duration.ofSeconds(20), "every task ran", () -> h.ledger().size() == 2 * LIMIT + 1);
    }

    /** Two limited queues, claimed at once by two nodes: their limits' locks are always taken in one order. */
    @Test
    void claimersOfTheSameLimitedQueuesNeverWaitForEachOtherInACircle() throws Exception {
        h.start(new LedgerHandler(h));
        String other = h.queue + "-b";
        h.tasks().enqueueAll(LedgerHandler.class, IntStream.range(0, 400).mapToObj(i -> new Ref("a" + i)).toList(),
                h.options());
        h.tasks().enqueueAll(LedgerHandler.class, IntStream.range(0, 400).mapToObj(i -> new Ref("b" + i)).toList(),
                TaskOptions.defaults().withQueue(other));
        List<Engine> nodes = IntStream.range(0, 2).mapToObj(i -> Engine.create(h.tx, WorkerSettings.defaults()
                .with(WorkerSettings.QUEUES, h.queue + "," + other).with(WorkerSettings.NODE_ID, "lock-" + i + h.queue)
                .with(WorkerSettings.THREADS, "1").with(WorkerSettings.PREFETCH, "1")
                .with(WorkerSettings.maxRunningKey(h.queue), "1000").with(WorkerSettings.maxRunningKey(other), "1000"),
                h.clock, new LedgerHandler(h))).toList();
        ExecutorService claimers = Executors.newFixedThreadPool(2);
        pools.add(claimers);
        List<java.util.concurrent.Future<Integer>> claimed = new ArrayList<>();
        for (Engine node : nodes) {
            claimed.add(claimers.submit(() -> {
                int total = 0;
                for (List<ClaimedTask> batch = node.claimer().runOnce(); !batch.isEmpty();
                        batch = node.claimer().runOnce()) {
                    total += batch.size(); // a deadlock would end one of them with an exception
                }
                return total;
            }));
        }
        assertEquals(800, claimed.get(0).get(60, TimeUnit.SECONDS) + claimed.get(1).get(60, TimeUnit.SECONDS));
    }

    private void startNode(String node, String otherQueue) {
        WorkerSettings settings = WorkerSettings.defaults().with(WorkerSettings.QUEUES, h.queue + "," + otherQueue)
                .with(WorkerSettings.NODE_ID, node).with(WorkerSettings.THREADS, "4")
                .with(WorkerSettings.POLL_INTERVAL, "50ms");
        h.startNode(settings, new Limited(h));
    }
}
