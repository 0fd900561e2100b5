package dev.taskq.support;

import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.internal.ArgsCodec;
import dev.taskq.internal.ConfigReader;
import dev.taskq.internal.Engine;
import dev.taskq.internal.HandlerRegistry;
import dev.taskq.internal.LocalTransactions;
import dev.taskq.internal.Schedules;
import dev.taskq.internal.WorkerSettings;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A node in a JVM of its own that enqueues one periodic schedule, every second, and runs no worker: for tests that
 * kill it with {@code kill -9} in the middle of taking a slot. Inside the transaction that takes a slot it prints
 * {@code TAKING <eta>} and then stalls for {@code stall} ms, holding the schedule's row, so that a kill lands there.
 * It ends on its own after a minute, should the test forget it.
 */
public final class ChildScheduler {

    /** The schedules' handler; the tasks are never run. */
    @TaskName("child-periodic")
    public static final class Tick implements TaskHandler<Void> {
        @Override
        public void handle(Void args) {
        }
    }

    /** Every second. */
    public static final String EVERY_SECOND = "* * * * * *";

    private ChildScheduler() {
    }

    /** @return settings declaring {@code schedule}: every second, into {@code queue} */
    public static Map<String, String> schedule(String schedule, String queue) {
        return Map.of(Schedules.DECLARED, schedule,
                "taskq.periodic." + schedule + ".task", "child-periodic",
                "taskq.periodic." + schedule + ".cron", EVERY_SECOND,
                "taskq.periodic." + schedule + ".queue", queue);
    }

    /** @return an engine of this JVM with {@code schedule}, its enqueues announced to {@code enqueued} */
    public static Engine engine(LocalTransactions tx, String schedule, String queue,
            java.util.function.Consumer<dev.taskq.internal.TaskEnqueued> enqueued) {
        ArgsCodec codec = new ArgsCodec();
        HandlerRegistry handlers = HandlerRegistry.builder(codec).add(new Tick()).build();
        return Engine.create(tx, handlers, codec, Schedules.of(handlers, codec, ConfigReader.of(schedule(schedule,
                queue))), WorkerSettings.defaults().with(WorkerSettings.QUEUES, queue), Clock.systemUTC(), enqueued);
    }

    /** @param args the JDBC URL, user, password, schedule name, queue, and stall milliseconds */
    public static void main(String[] args) {
        EntityManagerFactory factory = Persistence.createEntityManagerFactory("taskq-test", Map.of(
                "jakarta.persistence.jdbc.url", args[0], "jakarta.persistence.jdbc.user", args[1],
                "jakarta.persistence.jdbc.password", args[2]));
        long stall = Long.parseLong(args[5]);
        Engine engine = engine(new LocalTransactions(factory), args[3], args[4], task -> {
            System.out.println("TAKING " + task.eta());
            System.out.flush();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(stall));
        });
        engine.useScheduler(Executors.newSingleThreadScheduledExecutor());
        System.out.println("READY");
        System.out.flush();
        LockSupport.parkNanos(Duration.ofMinutes(1).toNanos());
        System.exit(0);
    }

    /** Starts {@link #main} in a new JVM with this JVM's class path; its output goes to {@code log}. */
    public static Process start(TestDatabase database, String schedule, String queue, long stallMillis, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", ChildWorker.classPath(), ChildScheduler.class.getName(),
                database.url(), database.user(), database.password(), schedule, queue, String.valueOf(stallMillis)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
