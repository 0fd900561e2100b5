package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.ChildWorker;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import dev.taskq.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code taskq.queue.<name>.max-running}: however many nodes and loops claim a queue at once, no more of its tasks
 * are RUNNING than its limit, counted by sampling the table while they run; and every task still runs once.
 */
class RunningLimitTest {

    private static final int LIMIT = 3;
    private static final int TASKS = 60;

    private final QueueHarness h = new QueueHarness();
    private Process child;

    @AfterEach
    void close() throws Exception {
        if (child != null) {
            child.destroyForcibly();
        }
        h.close();
    }

    @Test
    void twoNodesInOneJvmNeverRunMoreThanTheLimitTogether() throws Exception {
        enqueue();
        int most = mostRunningWhile(() -> {
            startNode("limit-a-" + h.queue);
            startNode("limit-b-" + h.queue);
        });
        assertTrue(most <= LIMIT, "at most " + LIMIT + " RUNNING at once, but " + most);
        assertEquals(LIMIT, most, "the limit is reached: the nodes run that many in parallel");
        assertEveryTaskRanOnce();
    }

    @Test
    void twoJvmsNeverRunMoreThanTheLimitTogether() throws Exception {
        enqueue();
        Path log = Files.createTempFile("taskq-child-limit", ".log");
        int most = mostRunningWhile(() -> {
            child = ChildWorker.start(TestDatabase.get(), h.queue, "limit-child-" + h.queue, log, List.of("4", "30",
                    "60", WorkerSettings.maxRunningKey(h.queue) + "=" + LIMIT));
            startNode("limit-parent-" + h.queue);
        });
        assertTrue(most <= LIMIT, "at most " + LIMIT + " RUNNING at once, but " + most + " (child log: " + log + ")");
        assertEveryTaskRanOnce();
    }

    @Test
    void aDirtyTaskNoLongerHoldsItsPlaceUnderTheLimit() {
        h.startWith(settings -> settings.with(WorkerSettings.maxRunningKey(h.queue), "1"),
                new ChildWorker.SlowLedger(h.tx, h.queue, 0));
        h.tasks().enqueueAll(ChildWorker.SlowLedger.class, List.of(new Ref("a"), new Ref("b")), h.options());

        assertEquals(1, h.engine().claimer().runOnce().size(), "the limit's one place");
        assertEquals(0, h.engine().claimer().runOnce().size(), "the limit is full while that task is alive");

        // Its node died: no heartbeat for longer than the dirty threshold.
        h.clock.advance(WorkerSettings.defaults().dirtyThreshold().plusSeconds(1));
        assertEquals(1, h.engine().claimer().runOnce().size(), "a dirty task does not count");
    }

    /** With a poll of ten minutes, only the wake at a limited task's end can start the next one in time. */
    @Test
    void aNodeWhoseLimitedTaskEndsClaimsTheNextAtOnce() {
        h.startWith(settings -> settings.with(WorkerSettings.maxRunningKey(h.queue), "1")
                .with(WorkerSettings.POLL_INTERVAL, "10m"), new ChildWorker.SlowLedger(h.tx, h.queue, 0));
        h.tasks().enqueueAll(ChildWorker.SlowLedger.class, List.of(new Ref("a"), new Ref("b"), new Ref("c")),
                h.options());
        h.startWorker();

        Await.until(Duration.ofSeconds(20), "the three tasks ran one after another", () -> h.ledger().size() == 3);
    }

    private interface Start {
        void run() throws Exception;
    }

    /** @return the most RUNNING tasks of the queue seen at once, sampled until every task is done */
    private int mostRunningWhile(Start start) throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService sampler = Executors.newSingleThreadExecutor();
        Future<Integer> most = sampler.submit(() -> {
            int max = 0;
            try (Connection connection = TestDatabase.get().connect(); PreparedStatement running =
                    connection.prepareStatement("select count(*) from taskq_task where queue = ? and state = 'RUNNING'")) {
                running.setString(1, h.queue);
                while (!done.get()) {
                    try (ResultSet row = running.executeQuery()) {
                        row.next();
                        max = Math.max(max, row.getInt(1));
                    }
                }
            }
            return max;
        });
        try {
            start.run();
            Await.until(Duration.ofSeconds(60), "every task ran", () -> h.ledger().size() >= TASKS);
        } finally {
            done.set(true);
            sampler.shutdown();
        }
        return most.get();
    }

    private void enqueue() {
        h.start(new ChildWorker.SlowLedger(h.tx, h.queue, 30));
        h.tasks().enqueueAll(ChildWorker.SlowLedger.class, IntStream.range(0, TASKS).mapToObj(i -> new Ref("t" + i))
                .toList(), h.options());
    }

    private void startNode(String node) {
        WorkerSettings settings = WorkerSettings.defaults().with(WorkerSettings.QUEUES, h.queue)
                .with(WorkerSettings.NODE_ID, node).with(WorkerSettings.THREADS, "4")
                .with(WorkerSettings.POLL_INTERVAL, "50ms")
                .with(WorkerSettings.maxRunningKey(h.queue), String.valueOf(LIMIT));
        h.startNode(settings, new ChildWorker.SlowLedger(h.tx, h.queue, 30));
    }

    private void assertEveryTaskRanOnce() {
        List<String> ledger = h.ledger();
        assertEquals(TASKS, ledger.size(), "one ledger row per task");
        assertEquals(TASKS, new HashSet<>(ledger).size(), "no task ran twice");
    }
}
