package dev.taskq.demo;

import dev.taskq.Retry;
import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.TaskQueue;
import dev.taskq.internal.Engine;
import dev.taskq.internal.LocalTransactions;
import dev.taskq.internal.Worker;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.LedgerEntry;
import dev.taskq.support.QuietLogs;
import dev.taskq.support.TestDatabase;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TaskQ's engine in plain Java SE against the local PostgreSQL: an order and its receipt task commit together,
 * a rolled-back order leaves no task, and a flaky partner call is retried with back-off until it succeeds.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:java@demo}
 */
public final class Demo {

    /** The receipt to send for an order. */
    public record Receipt(long orderId, String email) {
    }

    @TaskName("send-receipt")
    public static final class SendReceipt implements TaskHandler<Receipt> {
        @Override
        public void handle(Receipt receipt) {
            say("  worker: sending the receipt of order " + receipt.orderId() + " to " + receipt.email());
        }
    }

    @TaskName("reserve-stock")
    @Retry(maxAttempts = 5, backoff = 500, maxBackoff = 2_000, unit = java.time.temporal.ChronoUnit.MILLIS)
    public static final class ReserveStock implements TaskHandler<Long> {
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public void handle(Long orderId) throws IOException {
            if (calls.incrementAndGet() < 3) {
                say("  worker: the stock service times out for order " + orderId + " (attempt " + calls.get() + ")");
                throw new IOException("stock service timed out");
            }
            say("  worker: stock reserved for order " + orderId + " (attempt " + calls.get() + ")");
        }
    }

    public static void main(String[] args) throws Exception {
        QuietLogs.apply();
        LocalTransactions transactions = new LocalTransactions(TestDatabase.get().entityManagerFactory());
        WorkerSettings settings = WorkerSettings.defaults().with(WorkerSettings.QUEUES, "demo")
                .with(WorkerSettings.THREADS, "2").with(WorkerSettings.POLL_INTERVAL, "100ms");
        Engine engine = Engine.create(transactions, settings, Clock.systemUTC(), new SendReceipt(), new ReserveStock());
        TaskQueue tasks = engine.queue();
        var options = dev.taskq.TaskOptions.defaults().withQueue("demo");

        say("\n1. An order and its two tasks, in one transaction:");
        transactions.required(em -> {
            em.persist(new LedgerEntry("demo", "order 42"));
            tasks.enqueue(SendReceipt.class, new Receipt(42, "ada@example.com"), options);
            return tasks.enqueue(ReserveStock.class, 42L, options);
        });
        say("   committed: " + count(transactions) + " task(s) waiting");

        say("\n2. An order whose payment fails: the transaction rolls back, and its task with it:");
        try {
            transactions.required(em -> {
                em.persist(new LedgerEntry("demo", "order 43"));
                tasks.enqueue(SendReceipt.class, new Receipt(43, "bob@example.com"), options);
                throw new IllegalStateException("payment declined");
            });
        } catch (IllegalStateException e) {
            say("   rolled back (" + e.getMessage() + "): still " + count(transactions) + " task(s) waiting");
        }

        say("\n3. A worker with two loops runs them; the stock service fails twice and is retried:");
        var loops = Executors.newFixedThreadPool(2);
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        Worker worker = engine.worker(loops, scheduler);
        worker.start();
        Await.until(Duration.ofSeconds(30), "the demo queue is empty", () -> count(transactions) == 0);
        worker.stop();
        loops.shutdown();
        scheduler.shutdown();
        say("\nDone: the queue is empty; each task succeeded once, and none was lost.");
        System.exit(0);
    }

    private static long count(LocalTransactions transactions) {
        return transactions.requiresNew(em -> em.createQuery(
                "select count(t) from Task t where t.queue = 'demo'", Long.class).getSingleResult());
    }

    private static void say(String line) {
        System.out.println(line);
    }

}
