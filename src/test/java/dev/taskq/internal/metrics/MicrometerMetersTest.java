package dev.taskq.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskq.Retry;
import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.internal.Engine;
import dev.taskq.internal.TaskRunner.Outcome;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TaskQ's meters in a real Micrometer registry, as WildFly's micrometer subsystem hands one to the application:
 * counters and timers from the attempts, gauges from the latest snapshot of the task table.
 */
class MicrometerMetersTest {

    @TaskName("metered")
    @Retry(maxAttempts = 1)
    static final class Metered implements TaskHandler<Ref> {
        @Override
        public void handle(Ref args) {
            if (args.ref().startsWith("fail")) {
                throw new IllegalStateException("bad " + args.ref());
            }
        }
    }

    private final QueueHarness h = new QueueHarness();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Engine engine;
    private StatsSnapshot snapshot;
    private MicrometerMeters meters;

    @BeforeEach
    void start() {
        engine = h.startWith(settings -> settings.with(WorkerSettings.THREADS, "1").with(WorkerSettings.PREFETCH, "0"), new Metered());
        snapshot = new StatsSnapshot(engine.admin()::stats);
        meters = new MicrometerMeters(registry, snapshot);
        engine.runListeners().add(meters);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private Outcome runOne() {
        return engine.runner().run(engine.claimer().runOnce().get(0));
    }

    @Test
    void attemptsAreCountedAndTimedByQueueTaskAndOutcome() {
        h.tasks().enqueue(Metered.class, new Ref("ok-1"), h.options());
        h.tasks().enqueue(Metered.class, new Ref("ok-2"), h.options());
        h.tasks().enqueue(Metered.class, new Ref("fail-1"), h.options());
        h.clock.advance(Duration.ofSeconds(3)); // due for 3 s before the first starts
        assertEquals(Outcome.SUCCEEDED, runOne());
        assertEquals(Outcome.SUCCEEDED, runOne());
        assertEquals(Outcome.FAILED, runOne());

        String attempts = TaskQMeter.ATTEMPTS.meterName();
        assertEquals(2.0, registry.get(attempts).tags("queue", h.queue, "task", "metered", "outcome", "succeeded")
                .counter().count());
        assertEquals(1.0, registry.get(attempts).tags("queue", h.queue, "task", "metered", "outcome", "failed")
                .counter().count());
        assertEquals(3, registry.get(TaskQMeter.ATTEMPT_DURATION.meterName()).tags("queue", h.queue, "task",
                "metered").timer().count());
        assertEquals(3, registry.get(TaskQMeter.START_DELAY.meterName()).tags("queue", h.queue).timer().count());
        assertEquals(3.0, registry.get(TaskQMeter.START_DELAY.meterName()).tags("queue", h.queue).timer()
                .max(java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(3, registry.get(TaskQMeter.CLAIM_WAIT.meterName()).tags("queue", h.queue).timer().count());
    }

    @Test
    void gaugesShowTheLatestSnapshotOfEveryQueue() {
        h.tasks().enqueue(Metered.class, new Ref("fail-1"), h.options());
        assertEquals(Outcome.FAILED, runOne());
        h.tasks().enqueue(Metered.class, new Ref("waiting"), h.options());
        h.tasks().enqueue(Metered.class, new Ref("later"), h.options().withDelay(Duration.ofHours(1)));
        h.clock.advance(Duration.ofSeconds(12));
        snapshot.refresh().queues().forEach(queue -> meters.addGauges(queue.name()));

        assertEquals(1.0, gauge("failed"));
        assertEquals(1.0, gauge("pending"));
        assertEquals(1.0, gauge("future"));
        assertEquals(0.0, gauge("active"));
        assertEquals(12.0, registry.get(TaskQMeter.OLDEST_PENDING.meterName()).tags("queue", h.queue).gauge().value());
        assertEquals(0.0, registry.get(TaskQMeter.QUEUE_PAUSED.meterName()).tags("queue", h.queue).gauge().value());

        assertEquals(Outcome.SUCCEEDED, runOne());
        assertEquals(1.0, gauge("pending"), "a gauge shows the snapshot, not the table: no scrape reads the database");
        snapshot.refresh();
        assertEquals(0.0, gauge("pending"));
    }

    @Test
    void closeRemovesEveryMeterItRegistered() {
        h.tasks().enqueue(Metered.class, new Ref("ok"), h.options());
        assertEquals(Outcome.SUCCEEDED, runOne());
        h.tasks().enqueue(Metered.class, new Ref("later"), h.options().withDelay(Duration.ofHours(1)));
        snapshot.refresh().queues().forEach(queue -> meters.addGauges(queue.name()));
        assertEquals(1.0, gauge("future"));
        assertEquals(1.0, registry.get(TaskQMeter.ATTEMPTS.meterName()).tags("queue", h.queue).counter().count());

        meters.close();

        assertEquals(0, registry.getMeters().stream().filter(meter -> meter.getId().getName().startsWith("taskq."))
                .count());
    }

    private double gauge(String group) {
        return registry.get(TaskQMeter.TASKS.meterName()).tags("queue", h.queue, "group", group).gauge().value();
    }
}
