package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskq.internal.Engine;
import dev.taskq.internal.TaskRunner.Outcome;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One log line per event of a task's life, at a level that fits it, naming the task the same way every time: id,
 * name, queue and attempt. Read through java.util.logging, where TaskQ's System.Logger lines go in Java SE.
 */
class LifecycleLogTest {

    @TaskName("logged")
    @Retry(maxAttempts = 2, backoff = 10, maxBackoff = 10)
    static final class Logged implements TaskHandler<Ref> {
        @Override
        public void handle(Ref args) {
            if (args.ref().startsWith("fail")) {
                throw new IllegalStateException("bad " + args.ref());
            }
        }
    }

    /** One captured line: its level and its text. */
    record Line(Level level, String text) {
    }

    private final QueueHarness h = new QueueHarness();
    private final Logger taskq = Logger.getLogger("dev.taskq");
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            lines.add(new Line(record.getLevel(), formatter.formatMessage(record)));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level levelBefore;
    private Engine engine;

    @BeforeEach
    void start() {
        levelBefore = taskq.getLevel();
        taskq.setLevel(Level.ALL);
        taskq.addHandler(capture);
        engine = h.startWith(settings -> settings.with(WorkerSettings.THREADS, "1").with(WorkerSettings.PREFETCH, "0")
                .with(WorkerSettings.DIRTY_POLICY, "keep"), new Logged());
    }

    @AfterEach
    void stop() throws Exception {
        taskq.removeHandler(capture);
        taskq.setLevel(levelBefore);
        h.close();
    }

    private Outcome runOne() {
        return engine.runner().run(engine.claimer().runOnce().get(0));
    }

    /** @return the lines about task {@code id}, with the name and queue of this test's tasks */
    private List<Line> about(long id) {
        String named = "Task " + id + " 'logged' (queue " + h.queue + ", attempt ";
        return lines.stream().filter(line -> line.text().startsWith(named))
                .map(line -> new Line(line.level(), line.text().substring(named.length()))).toList();
    }

    private static void assertLines(List<String> expected, List<Line> actual) {
        assertEquals(expected.size(), actual.size(), "one line per event: " + actual);
        for (int i = 0; i < expected.size(); i++) {
            String line = actual.get(i).level() + " " + actual.get(i).text();
            assertEquals(expected.get(i), line.substring(0, Math.min(line.length(), expected.get(i).length())),
                    "line " + i + " of " + actual);
        }
    }

    @Test
    void aTaskThatSucceedsIsEnqueuedStartedAndSucceededAtDebug() {
        long id = h.tasks().enqueue(Logged.class, new Ref("ok"), h.options());
        assertEquals(Outcome.SUCCEEDED, runOne());

        assertLines(List.of("FINE 0/2) enqueued in the caller's transaction, due ", "FINE 1/2) started",
                "FINE 1/2) succeeded"), about(id));
    }

    @Test
    void aRetryIsInfoTheDeadLetterIsAnErrorAndAPersonsActionsAreInfo() {
        long id = h.tasks().enqueue(Logged.class, new Ref("fail-1"), h.options());
        assertEquals(Outcome.RETRYING, runOne());
        h.clock.advance(Duration.ofSeconds(10));
        assertEquals(Outcome.FAILED, runOne());
        TaskAdmin admin = engine.admin();
        assertEquals(true, admin.retry(id));
        assertEquals(true, admin.delete(id));

        assertLines(List.of("FINE 0/2) enqueued", "FINE 1/2) started",
                "INFO 1/2) failed with java.lang.IllegalStateException: bad fail-1; retry at ",
                "FINE 2/2) started", "SEVERE 2/2) failed for good",
                "INFO 2/3) retried by the admin", "INFO 2/3) deleted by the admin"), about(id));
    }

    @Test
    void aDirtyTaskIsAWarningOnceWhileItStaysDirty() {
        long id = h.tasks().enqueue(Logged.class, new Ref("stuck"), h.options());
        engine.claimer().runOnce();
        h.clock.advance(Duration.ofSeconds(31)); // past the 30 s threshold, no heartbeat
        engine.rescuer().runOnce();
        engine.rescuer().runOnce();

        assertLines(List.of("FINE 0/2) enqueued", "WARNING 1/2) is dirty (no heartbeat for PT30S); the dirty "
                + "policy is keep, so it waits for a person to retry or delete it"), about(id));
    }
}
