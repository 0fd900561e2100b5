package dev.taskq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.PeriodicSchedule;
import dev.taskq.TaskAdmin;
import dev.taskq.TaskOptions;
import dev.taskq.TaskQueue;
import dev.taskq.Task;
import dev.taskq.TaskState;
import dev.taskq.it.app.CancellableHandler;
import dev.taskq.it.app.Job;
import dev.taskq.it.app.LedgerJobHandler;
import dev.taskq.it.app.PacedHandler;
import dev.taskq.it.app.Rows;
import dev.taskq.it.app.SnoozeHandler;
import dev.taskq.it.app.TickHandler;
import dev.taskq.support.Await;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In the server, a {@code @Periodic} handler's tasks are enqueued at every slot (Jakarta Concurrency's
 * {@code CronTrigger} is the server's), a setting overrides the annotation, and the admin lists and pauses the
 * schedule. A handler's {@code @Inject TaskContext} and {@code EndAttempt.snooze} work there too, and so do a
 * queue's loops of its own and its limit of RUNNING tasks, the cancellation of a running task, and a deadline.
 */
@ExtendWith(ArquillianExtension.class)
class SchedulingIT {

    /** Paused while its task's deadline passes. */
    private static final String EXPIRY_QUEUE = "expiry-it";

    @Deployment
    static WebArchive deployment() {
        Map<String, String> settings = new HashMap<>(ItDeployment.FAST);
        settings.put("taskq.worker.queues", TickHandler.QUEUE + "," + PacedHandler.QUEUE + ":4," + EXPIRY_QUEUE);
        settings.put("taskq.queue." + PacedHandler.QUEUE + ".max-running", "2");
        settings.put("taskq.retention.succeeded", "1h");
        settings.put("taskq.periodic.it-tick.zone", "Europe/Berlin");
        return ItDeployment.war("scheduling", settings, TickHandler.class, SnoozeHandler.class, PacedHandler.class,
                CancellableHandler.class, LedgerJobHandler.class,
                Job.class, Rows.class, Await.class);
    }

    @Inject
    Rows rows;

    @Inject
    TaskAdmin admin;

    @Inject
    TaskQueue tasks;

    /** A queue with 4 loops of its own and a limit of 2: never more than 2 RUNNING, sampled while they run. */
    @Test
    void aQueuesLimitHoldsInTheServer() {
        String batch = UUID.randomUUID().toString().substring(0, 8);
        tasks.enqueueAll(PacedHandler.class, IntStream.range(0, 12).mapToObj(i -> new Job(batch + "-" + i)).toList(),
                TaskOptions.defaults().withQueue(PacedHandler.QUEUE));
        long most = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (rows.ledger("paced " + batch + "-%").size() < 12) {
            most = Math.max(most, rows.running(PacedHandler.QUEUE));
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the 12 paced tasks did not run within 60 s");
            }
        }
        assertTrue(most <= 2, "at most 2 RUNNING at once, but " + most);
        assertEquals(12, new java.util.HashSet<>(rows.ledger("paced " + batch + "-%")).size(), "each task once");
    }

    /** Also here: a handler's injected TaskContext, and a snooze, which runs the task again uncounted. */
    @Test
    void aHandlerReadsItsContextAndASnoozedTaskRunsAgainWithoutCountingTheAttempt() {
        long id = tasks.enqueue(SnoozeHandler.class, null, TaskOptions.defaults().withQueue(TickHandler.QUEUE));

        String ran = "snoozed " + id + " then ran attempt 1 of 3";
        Await.until(Duration.ofSeconds(30), "the snoozed task ran again", () -> rows.ledger(ran).size() == 1);
    }

    /** The server's managed thread is interrupted in the handler's JTA transaction, which rolls back. */
    @Test
    void aRunningTaskCancelledFromTheAdminStopsAndIsKeptCancelled() throws InterruptedException {
        String ref = UUID.randomUUID().toString().substring(0, 8);
        long id = tasks.enqueue(CancellableHandler.class, new Job(ref),
                TaskOptions.defaults().withQueue(TickHandler.QUEUE));
        assertTrue(CancellableHandler.awaitStart(id, 30), "the handler began");

        assertTrue(admin.cancel(id, "it-admin"));

        Await.until(Duration.ofSeconds(30), "the task ended cancelled",
                () -> rows.task(id).getState() == TaskState.CANCELLED);
        Task cancelled = rows.task(id);
        assertEquals("it-admin", cancelled.getCancelledBy());
        assertTrue(cancelled.getLastError().startsWith("Cancelled: java.lang.InterruptedException"),
                cancelled.getLastError());
        assertEquals(Boolean.TRUE, CancellableHandler.sawCancellation(id));
        assertEquals(List.of(), rows.ledger("cancellable " + ref), "the handler's write rolled back");
    }

    @Test
    void aTaskTakenAfterItsDeadlineIsCancelledAsExpiredAndNeverRuns() {
        String ref = "expiring " + UUID.randomUUID().toString().substring(0, 8);
        admin.pause(EXPIRY_QUEUE);
        long id;
        try {
            id = tasks.enqueue(LedgerJobHandler.class, new Job(ref),
                    TaskOptions.defaults().withQueue(EXPIRY_QUEUE).withExpiry(Duration.ofSeconds(1)));
            Instant deadline = rows.task(id).getExpiresAt();
            // Past it by more than any difference between this clock and the worker's (the database's).
            Await.until(Duration.ofSeconds(10), "the deadline passed", () -> Instant.now().isAfter(deadline
                    .plusSeconds(1)));
        } finally {
            admin.resume(EXPIRY_QUEUE);
        }
        Await.until(Duration.ofSeconds(30), "the task was taken and ended", () -> rows.task(id).getState()
                != TaskState.PENDING && rows.task(id).getState() != TaskState.RUNNING);

        Task expired = rows.task(id);
        assertEquals(TaskState.CANCELLED, expired.getState());
        assertEquals(TaskOptions.EXPIRED_BY, expired.getCancelledBy());
        assertEquals(0, expired.getAttempt());
        assertEquals(List.of(), rows.ledger(ref), "its handler never ran");
    }

    @Test
    void theScheduleEnqueuesOneTaskPerSlotAndTheAdminListsAndPausesIt() {
        Instant start = Instant.now(); // the table may hold another server's run of this test
        Await.until(Duration.ofSeconds(30), "three slots ran", () -> since(start).size() >= 3);

        List<Instant> etas = since(start);
        assertEquals(Stream.iterate(etas.get(0), slot -> slot.plusSeconds(1)).limit(etas.size()).toList(), etas,
                "one task per second, due at its slot");
        PeriodicSchedule schedule = admin.schedules().stream().filter(s -> s.name().equals("it-tick")).findFirst()
                .orElseThrow();
        assertEquals("* * * * * *", schedule.cron());
        assertEquals("Europe/Berlin", schedule.zone(), "the setting overrides the annotation");
        assertTrue(schedule.nextSlot().isAfter(schedule.lastSlot()));

        admin.pauseSchedule("it-tick");
        assertTrue(admin.schedules().get(0).paused());
        admin.resumeSchedule("it-tick");
        assertTrue(!admin.schedules().get(0).paused());
    }

    private List<Instant> since(Instant start) {
        return rows.etasOf("it-tick").stream().filter(eta -> eta.isAfter(start)).toList();
    }
}
