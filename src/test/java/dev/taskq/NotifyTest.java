package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.Engine;
import dev.taskq.internal.LocalTransactions;
import dev.taskq.internal.Worker;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import dev.taskq.support.TcpProxy;
import dev.taskq.support.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wake-ups across nodes: an enqueue committed on one node ({@code NOTIFY taskq} after the commit) wakes the idle
 * worker of another ({@code LISTEN}), whose poll is ten minutes, so nothing but the notification can start the task.
 */
class NotifyTest {

    private final QueueHarness h = new QueueHarness();
    private final ScheduledExecutorService otherNodesScheduler = Executors.newSingleThreadScheduledExecutor();
    private final LinkedBlockingQueue<String> ran = new LinkedBlockingQueue<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Notes that it ran. */
    @TaskName("heard")
    final class Heard implements TaskHandler<Ref> {
        @Override
        public void handle(Ref args) {
            ran.add(args.ref());
        }
    }

    @AfterEach
    void close() throws Exception {
        h.close();
        otherNodesScheduler.shutdownNow();
        for (int i = resources.size() - 1; i >= 0; i--) { // the worker first, the proxy last
            resources.get(i).close();
        }
    }

    @Test
    void anEnqueueCommittedOnAnotherNodeStartsTheTaskHereAtOnce() throws Exception {
        Worker worker = startListeningWorker(h.tx);
        Engine otherNode = otherNode(h.tx);

        for (int i = 0; i < 20; i++) {
            long committed = System.nanoTime();
            otherNode.queue().enqueue(Heard.class, new Ref("r" + i), h.options());
            assertEquals("r" + i, ran.poll(10, TimeUnit.SECONDS), "the other node's enqueue woke this worker");
            System.out.printf("picked up %.2f ms after the other node's commit%n",
                    (System.nanoTime() - committed) / 1e6);
        }
        assertTrue(worker.isListening());
    }

    @Test
    void aRolledBackEnqueueNotifiesNobodyAndACommittedOneNotifiesOncePerQueue() throws Exception {
        Engine otherNode = otherNode(h.tx);
        String second = h.queue + "-2";
        LinkedBlockingQueue<String> heard = listen();

        assertThrowsRollback(() -> h.tx.requiresNew(em -> {
            otherNode.queue().enqueue(Heard.class, new Ref("rolled-back"), h.options());
            throw new IllegalStateException("the caller's transaction fails");
        }));
        h.tx.requiresNew(em -> otherNode.queue().enqueueAll(Heard.class,
                IntStream.range(0, 100).mapToObj(i -> new Ref("b" + i)).toList(), h.options()));
        h.tx.requiresNew(em -> otherNode.queue().enqueue(Heard.class, new Ref("marker"),
                h.options().withQueue(second)));

        List<String> payloads = new ArrayList<>();
        for (String payload = ""; !payload.equals(second); ) {
            payload = heard.poll(10, TimeUnit.SECONDS);
            assertTrue(payload != null, "the marker's notification arrives; heard so far " + payloads);
            if (payload.startsWith(h.queue)) { // not another test's
                payloads.add(payload);
            }
        }
        assertEquals(List.of(h.queue, second), payloads, "one notification for the committed transaction of 100 "
                + "tasks, none for the rolled-back one; notifications are sent in commit order");
    }

    @Test
    void theListeningConnectionComesBackAfterAnOutage() throws Exception {
        TestDatabase database = TestDatabase.get();
        TcpProxy proxy = TcpProxy.to(database.url());
        resources.add(proxy);
        EntityManagerFactory proxied = database.entityManagerFactoryAt(proxy.route(database.url()),
                Map.of("hibernate.connection.pool_size", "5"));
        resources.add(proxied::close);
        Worker worker = startListeningWorker(new LocalTransactions(proxied));
        Engine otherNode = otherNode(h.tx); // not through the proxy: the other node keeps its database

        proxy.cut(Duration.ofSeconds(2));
        Await.until(Duration.ofSeconds(10), "the listener notices the lost connection", () -> !worker.isListening());
        Await.until(Duration.ofSeconds(20), "the listener listens again", worker::isListening);

        ran.clear(); // its wake-up on coming back may have run nothing, or a task enqueued before
        otherNode.queue().enqueue(Heard.class, new Ref("after"), h.options());
        assertEquals("after", ran.poll(10, TimeUnit.SECONDS), "notifications reach the worker again");
    }

    private Worker startListeningWorker(LocalTransactions transactions) {
        WorkerSettings settings = WorkerSettings.defaults().with(WorkerSettings.QUEUES, h.queue)
                .with(WorkerSettings.POLL_INTERVAL, "10m").with(WorkerSettings.NODE_ID, "here-" + h.queue);
        Engine here = Engine.create(transactions, settings, Clock.systemUTC(), new Heard());
        var loops = Executors.newFixedThreadPool(settings.threads());
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        Worker worker = here.worker(loops, scheduler);
        resources.add(() -> {
            worker.stop();
            loops.shutdownNow();
            scheduler.shutdownNow();
        });
        worker.start();
        Await.until(Duration.ofSeconds(10), "the worker listens", worker::isListening);
        ran.clear(); // the wake-up as the listener starts is no task's
        return worker;
    }

    /** Another node of the same application: it only enqueues, and tells the other nodes. */
    private Engine otherNode(LocalTransactions transactions) {
        WorkerSettings settings = WorkerSettings.defaults().with(WorkerSettings.QUEUES, h.queue)
                .with(WorkerSettings.NODE_ID, "other-" + UUID.randomUUID());
        Engine other = Engine.create(transactions, settings, Clock.systemUTC(), new Heard());
        other.useScheduler(otherNodesScheduler);
        return other;
    }

    /** @return the payloads of TaskQ's notifications, heard on a connection of the test's own */
    private LinkedBlockingQueue<String> listen() throws Exception {
        Connection connection = TestDatabase.get().connect();
        resources.add(connection);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN taskq");
        }
        LinkedBlockingQueue<String> payloads = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!connection.isClosed()) {
                    PGNotification[] heard = pg.getNotifications(200);
                    if (heard != null) {
                        for (PGNotification notification : heard) {
                            payloads.add(notification.getParameter());
                        }
                    }
                }
            } catch (Exception e) {
                // the test closed the connection
            }
        });
        reader.setDaemon(true);
        reader.start();
        return payloads;
    }

    private static void assertThrowsRollback(Runnable work) {
        try {
            work.run();
        } catch (IllegalStateException expected) {
            return;
        }
        throw new AssertionError("the transaction should have failed");
    }
}
