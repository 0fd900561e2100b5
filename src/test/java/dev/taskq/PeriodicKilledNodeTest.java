package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.Engine;
import dev.taskq.support.Await;
import dev.taskq.support.ChildScheduler;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes enqueue one schedule, every second, on the system clock: this JVM, and a child JVM that is killed with
 * {@code kill -9} while it takes a slot (the schedule's row locked, the slot's task written, nothing committed).
 * The surviving node takes that slot once the child's transaction is gone, and every second of the run has exactly
 * one task.
 */
class PeriodicKilledNodeTest {

    private final QueueHarness h = new QueueHarness();
    private final String schedule = "kill-" + UUID.randomUUID().toString().substring(0, 8);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private Engine survivor;
    private Process child;

    @AfterEach
    void close() throws Exception {
        if (child != null) {
            child.destroyForcibly();
        }
        if (survivor != null) {
            survivor.stopBackground();
        }
        scheduler.shutdownNow();
        h.close();
    }

    @Test
    void aNodeKilledWhileTakingASlotLeavesItToTheOtherNodeAndEverySecondHasOneTask() throws Exception {
        survivor = ChildScheduler.engine(h.tx, schedule, h.queue, enqueued -> { });
        survivor.useScheduler(scheduler);
        Await.until(Duration.ofSeconds(10), "the survivor took a slot", () -> !h.rows().isEmpty());
        Path log = Files.createTempFile("taskq-child-scheduler", ".log");
        // The child stalls 3 s inside each slot it takes; it takes one as soon as it looks before the survivor.
        child = ChildScheduler.start(TestDatabase.get(), schedule, h.queue, 3_000, log);
        Await.until(Duration.ofSeconds(60), "the child is taking a slot (its log: " + log + ")",
                () -> takingSlot(log) != null);
        Instant killedSlot = takingSlot(log);

        child.destroyForcibly(); // SIGKILL while it holds the row: no commit, no rollback of its own
        assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the child is dead");
        Await.until(Duration.ofSeconds(20), "the survivor took three slots after the killed one",
                () -> etas().stream().filter(eta -> eta.isAfter(killedSlot)).count() >= 3);
        survivor.stopBackground();

        List<Instant> etas = etas();
        System.out.printf("killed the child while it took %s; %d slots from %s to %s%n", killedSlot, etas.size(),
                etas.get(0), etas.get(etas.size() - 1));
        assertEquals(Stream.iterate(etas.get(0), slot -> slot.plusSeconds(1)).limit(etas.size()).toList(), etas,
                "every second from the first slot to the last has exactly one task");
        assertTrue(etas.contains(killedSlot), "the slot the child was taking has its task, from the survivor");
    }

    private List<Instant> etas() {
        return h.rows().stream().map(Task::getEta).sorted().toList();
    }

    private static Instant takingSlot(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return lines.stream().filter(line -> line.startsWith("TAKING "))
                .map(line -> Instant.parse(line.substring("TAKING ".length()).trim())).findFirst().orElse(null);
    }
}
