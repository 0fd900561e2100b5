package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.Engine;
import dev.taskq.internal.Worker;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.ChildWorker;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import dev.taskq.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A second node, a JVM of its own, is killed with {@code kill -9} while it runs tasks. Its running tasks become
 * DIRTY: under {@code requeue} the surviving node runs them again, under {@code keep} they wait for a person; every
 * other task runs on the survivor, once, without waiting for the dead node's.
 */
class KilledNodeTest {

    private static final int TASKS = 300;

    private final QueueHarness h = new QueueHarness();
    private final String childNode = "child-" + h.queue;
    private Process child;
    private ExecutorService loops;
    private ScheduledExecutorService scheduler;
    private Worker survivor;

    @AfterEach
    void close() throws Exception {
        if (child != null) {
            child.destroyForcibly();
        }
        if (survivor != null) {
            survivor.stop();
            loops.shutdownNow();
            scheduler.shutdownNow();
        }
        h.tx.requiresNew(em -> em.createNativeQuery("delete from taskq_task where queue = :queue")
                .setParameter("queue", h.queue).executeUpdate()); // kept rows would be the pruner's in other tests
        h.close();
    }

    @Test
    void underRequeueTheSurvivorRunsTheKilledNodesTasksAgainAndEveryTaskOnce() throws Exception {
        Set<Long> inFlight = killTheChildMidRun();
        startSurvivor("requeue");

        Await.until(Duration.ofMinutes(2), "every task ran", () -> h.ledger().size() == TASKS);
        Await.until(Duration.ofSeconds(30), "nothing is left to run", () -> h.count(TaskState.RUNNING) == 0
                && h.count(TaskState.PENDING) == 0);
        assertEquals(TASKS, new HashSet<>(h.ledger()).size(), "every task's work committed exactly once");
        for (Task task : h.rows()) {
            if (inFlight.contains(task.getId())) {
                assertEquals(2, task.getAttempt(), "the killed attempt counts, and the survivor ran it again");
            }
        }
    }

    @Test
    void underKeepTheKilledNodesTasksStayDirtyAndEveryOtherTaskRunsOnce() throws Exception {
        Set<Long> inFlight = killTheChildMidRun();
        startSurvivor("keep");

        Await.until(Duration.ofMinutes(2), "every other task ran",
                () -> h.ledger().size() == TASKS - inFlight.size() && h.count(TaskState.PENDING) == 0);
        assertEquals(TASKS - inFlight.size(), new HashSet<>(h.ledger()).size(), "each once");
        Set<Long> running = new HashSet<>();
        h.rows().stream().filter(task -> task.getState() == TaskState.RUNNING).forEach(task -> {
            running.add(task.getId());
            assertEquals(childNode, task.getWorker(), "only the dead node's tasks are left RUNNING");
        });
        assertEquals(inFlight, running, "the dead node's tasks wait as DIRTY for a person");
    }

    /** @return the tasks RUNNING on the child when it was killed */
    private Set<Long> killTheChildMidRun() throws Exception {
        h.start(new ChildWorker.SlowLedger(h.tx, h.queue));
        h.tasks().enqueueAll(ChildWorker.SlowLedger.class,
                IntStream.range(0, TASKS).mapToObj(i -> new Ref("t" + i)).toList(), h.options());
        Path log = Files.createTempFile("taskq-child", ".log");
        child = ChildWorker.start(TestDatabase.get(), h.queue, childNode, log);
        Await.until(Duration.ofSeconds(60), "the child ran a few tasks (its log: " + log + ")",
                () -> h.ledger().size() >= 20);

        child.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop
        assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the child is dead");
        Set<Long> inFlight = new HashSet<>();
        h.rows().stream().filter(task -> task.getState() == TaskState.RUNNING)
                .forEach(task -> inFlight.add(task.getId()));
        System.out.printf("killed the child with %d task(s) RUNNING on it, %d done%n", inFlight.size(),
                h.ledger().size());
        WorkerSettings defaults = WorkerSettings.defaults();
        assertTrue(!inFlight.isEmpty() && inFlight.size() <= defaults.threads() + defaults.prefetch(),
                "the child held its loops' tasks and at most the prefetch, but " + inFlight.size());
        return inFlight;
    }

    private void startSurvivor(String policy) {
        WorkerSettings settings = WorkerSettings.defaults().with(WorkerSettings.QUEUES, h.queue)
                .with(WorkerSettings.NODE_ID, "survivor-" + h.queue).with(WorkerSettings.POLL_INTERVAL, "50ms")
                .with(WorkerSettings.HEARTBEAT_INTERVAL, "200ms").with(WorkerSettings.DIRTY_THRESHOLD, "1s")
                .with(WorkerSettings.DIRTY_POLICY, policy).with(WorkerSettings.SUCCEEDED_RETENTION, "1h");
        Engine engine = Engine.create(h.tx, settings, Clock.systemUTC(), new ChildWorker.SlowLedger(h.tx, h.queue));
        loops = Executors.newFixedThreadPool(settings.threads());
        scheduler = Executors.newSingleThreadScheduledExecutor();
        survivor = engine.worker(loops, scheduler);
        survivor.start();
    }
}
