package dev.taskq.support;

import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.internal.Engine;
import dev.taskq.internal.LocalTransactions;
import dev.taskq.internal.Worker;
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
 * A second node in a JVM of its own, for tests that kill it with {@code kill -9} or run beside it: a worker on one
 * queue whose handler writes a ledger row, after {@value #WORK_MILLIS} ms of work (or as long as the test says), in
 * the task's transaction. It prints {@code READY} once its worker runs, and ends on its own after a minute, should
 * the test forget it (or after as long as the test says).
 */
public final class ChildWorker {

    static final long WORK_MILLIS = 50;

    /** Writes its ledger row in the worker's transaction after a little work. */
    @TaskName("child-ledger")
    public static final class SlowLedger implements TaskHandler<Ref> {
        private final LocalTransactions tx;
        private final String queue;
        private final long workMillis;

        public SlowLedger(LocalTransactions tx, String queue) {
            this(tx, queue, WORK_MILLIS);
        }

        public SlowLedger(LocalTransactions tx, String queue, long workMillis) {
            this.tx = tx;
            this.queue = queue;
            this.workMillis = workMillis;
        }

        @Override
        public void handle(Ref args) {
            if (workMillis > 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(workMillis));
            }
            tx.currentEntityManager().persist(new LedgerEntry(queue, args.ref()));
        }
    }

    private ChildWorker() {
    }

    /**
     * @param args the JDBC URL, user, password, queue and node id; then, optionally, loops, work milliseconds,
     *             seconds to live (60), and more settings as {@code key=value} pairs
     */
    public static void main(String[] args) throws Exception {
        EntityManagerFactory factory = Persistence.createEntityManagerFactory("taskq-test", Map.of(
                "jakarta.persistence.jdbc.url", args[0], "jakarta.persistence.jdbc.user", args[1],
                "jakarta.persistence.jdbc.password", args[2]));
        LocalTransactions tx = new LocalTransactions(factory);
        WorkerSettings settings = WorkerSettings.defaults().with(WorkerSettings.QUEUES, args[3])
                .with(WorkerSettings.NODE_ID, args[4]).with(WorkerSettings.HEARTBEAT_INTERVAL, "200ms")
                .with(WorkerSettings.DIRTY_THRESHOLD, "1s");
        if (args.length > 5) {
            settings = settings.with(WorkerSettings.THREADS, args[5]);
        }
        for (int i = 8; i < args.length; i++) {
            String[] setting = args[i].split("=", 2);
            settings = settings.with(setting[0], setting[1]);
        }
        long work = args.length > 6 ? Long.parseLong(args[6]) : WORK_MILLIS;
        Engine engine = Engine.create(tx, settings, Clock.systemUTC(), new SlowLedger(tx, args[3], work));
        Worker worker = engine.worker(Executors.newFixedThreadPool(settings.allLoops()),
                Executors.newSingleThreadScheduledExecutor());
        worker.start();
        System.out.println("READY");
        System.out.flush();
        LockSupport.parkNanos(Duration.ofSeconds(args.length > 7 ? Long.parseLong(args[7]) : 60).toNanos());
        System.exit(0);
    }

    /** Starts {@link #main} in a new JVM with this JVM's class path; its output goes to {@code log}. */
    public static Process start(TestDatabase database, String queue, String node, Path log) throws IOException {
        return start(database, queue, node, log, List.of());
    }

    /** As {@link #start(TestDatabase, String, String, Path)}, with loops and work milliseconds in {@code more}. */
    public static Process start(TestDatabase database, String queue, String node, Path log, List<String> more)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classPath(), ChildWorker.class.getName(),
                database.url(), database.user(), database.password(), queue, node));
        command.addAll(more);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * @return this JVM's class path; under {@code exec:java} (the benchmarks) the project's classes are not on the
     *         JVM's class path but in the plugin's class loader
     */
    static String classPath() {
        if (ChildWorker.class.getClassLoader() instanceof java.net.URLClassLoader loader) {
            return java.util.Arrays.stream(loader.getURLs()).map(ChildWorker::file)
                    .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }

    private static String file(java.net.URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("Not a file on the class path: " + url, e);
        }
    }
}
