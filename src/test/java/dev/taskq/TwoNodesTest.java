package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.TaskRunner.Outcome;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.ChildWorker;
import dev.taskq.support.OnOutcome;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import dev.taskq.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes, each a JVM with 8 loops, on one queue of 10,000 tasks: the claims' {@code SKIP LOCKED} and the
 * attempt-guarded completions let every task's work commit exactly once, though both nodes claim all the time.
 */
class TwoNodesTest {

    private static final int TASKS = 10_000;

    private final QueueHarness h = new QueueHarness();
    private Process child;

    @AfterEach
    void close() throws Exception {
        if (child != null) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        h.close();
    }

    @Test
    void twoJvmsWithEightLoopsEachRunEveryTaskExactlyOnce() throws Exception {
        h.startWith(settings -> settings.with(WorkerSettings.THREADS, "8"),
                new ChildWorker.SlowLedger(h.tx, h.queue, 0));
        AtomicInteger ranHere = new AtomicInteger();
        h.engine().runListeners().add((OnOutcome) (task, outcome) -> {
            if (outcome == Outcome.SUCCEEDED) {
                ranHere.incrementAndGet();
            }
        });
        for (int chunk = 0; chunk < TASKS / 1_000; chunk++) {
            int first = chunk * 1_000;
            h.tasks().enqueueAll(ChildWorker.SlowLedger.class,
                    IntStream.range(first, first + 1_000).mapToObj(i -> new Ref("t" + i)).toList(), h.options());
        }
        Path log = Files.createTempFile("taskq-child", ".log");
        child = ChildWorker.start(TestDatabase.get(), h.queue, "child-" + h.queue, log, List.of("8", "0"));
        Await.until(Duration.ofSeconds(60), "the other JVM runs tasks (its log: " + log + ")",
                () -> ledgerSize() >= 100);

        h.startWorker();
        Await.until(Duration.ofMinutes(3), "every task ran", () -> ledgerSize() >= TASKS && h.remaining() == 0);

        List<String> ledger = h.ledger();
        assertEquals(TASKS, ledger.size(), "one ledger row per task");
        assertEquals(TASKS, new HashSet<>(ledger).size(), "no task's work committed twice");
        int here = ranHere.get();
        System.out.printf("this JVM ran %d tasks, the other %d%n", here, TASKS - here);
        assertTrue(here > 0 && here < TASKS, "both JVMs ran tasks, but this one ran " + here);
    }

    private long ledgerSize() {
        return h.tx.requiresNew(em -> ((Number) em.createNativeQuery(
                "select count(*) from test_ledger where queue = :queue").setParameter("queue", h.queue)
                .getSingleResult()).longValue());
    }
}
