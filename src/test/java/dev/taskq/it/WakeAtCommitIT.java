package dev.taskq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskq.it.app.Environment;
import dev.taskq.it.app.Job;
import dev.taskq.it.app.OrderService;
import dev.taskq.it.app.PickupHandler;
import dev.taskq.it.app.RecordHandler;
import dev.taskq.it.app.Rows;
import dev.taskq.support.Await;
import dev.taskq.TaskQueue;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.time.Duration;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In the server, an enqueue whose JTA transaction commits wakes this node's idle worker at once (an interposed
 * synchronization after the commit): with a 10-minute poll, the task still runs within seconds. The pickup latency
 * on an idle queue is printed to the server's log as a figure, never asserted: the benchmark's job.
 */
@ExtendWith(ArquillianExtension.class)
class WakeAtCommitIT {

    @Deployment
    static WebArchive deployment() {
        return ItDeployment.war("wake", ItDeployment.with(ItDeployment.FAST, "taskq.worker.poll-interval", "10m"),
                OrderService.class, RecordHandler.class, PickupHandler.class, Environment.class, Job.class, Rows.class, Await.class);
    }

    @Inject
    OrderService orders;

    @Inject
    Rows rows;

    @Inject
    TaskQueue tasks;

    @Test
    void aCommittedEnqueueRunsAtOnceThoughThePollIsTenMinutesAway() {
        String inCallersTransaction = "wake-" + UUID.randomUUID().toString().substring(0, 8);
        String inItsOwn = "wake-" + UUID.randomUUID().toString().substring(0, 8);

        orders.placeOrder(inCallersTransaction);
        Await.until(Duration.ofSeconds(10), "the task of the caller's transaction ran",
                () -> rows.ledger("ran " + inCallersTransaction + " %").size() == 1);
        orders.enqueueWithoutTransaction(inItsOwn);
        Await.until(Duration.ofSeconds(10), "the task enqueued in a transaction of its own ran",
                () -> rows.ledger("ran " + inItsOwn + " %").size() == 1);

        assertEquals(1, rows.ledger("order " + inCallersTransaction).size());
    }

    /**
     * Pickup from the enqueue's commit as the caller sees it (the call's return; a handler that starts before the
     * caller is back counts as 0) and from the call's begin, its transaction included.
     */
    @Test
    void pickupOnAnIdleQueueIsPrintedToTheLog() throws InterruptedException {
        int samples = 200;
        double[] fromCommit = new double[samples];
        double[] fromCall = new double[samples];
        for (int i = 0; i < samples; i++) {
            // Pacing, not waiting for a result: each enqueue lands at a random moment of the loops' idle wait.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10 + ThreadLocalRandom.current().nextInt(30)));
            long began = System.nanoTime();
            tasks.enqueue(PickupHandler.class, began);
            long enqueueNanos = System.nanoTime() - began;
            Long delay = PickupHandler.DELAYS.poll(10, TimeUnit.SECONDS);
            if (delay == null) {
                throw new AssertionError("pickup " + i + " did not start within 10 s");
            }
            fromCall[i] = delay / 1e6;
            fromCommit[i] = Math.max(0, delay - enqueueNanos) / 1e6;
        }
        Arrays.sort(fromCommit);
        Arrays.sort(fromCall);
        System.out.printf("TaskQ pickup on an idle queue in this server, enqueue commit to handler start, %d samples: "
                + "p50 %.2f ms, p99 %.2f ms; from the enqueue call: p50 %.2f ms, p99 %.2f ms%n", samples,
                fromCommit[samples / 2], fromCommit[samples * 99 / 100], fromCall[samples / 2],
                fromCall[samples * 99 / 100]);
        assertEquals(0, PickupHandler.DELAYS.size(), "every pickup ran once");
    }
}
