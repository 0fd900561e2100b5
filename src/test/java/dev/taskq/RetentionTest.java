package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.Engine;
import dev.taskq.internal.Pruner.Pruned;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Succeeded tasks are deleted, or kept for their retention; failed ones stay until a person or a retention. */
class RetentionTest {

    private final QueueHarness h = new QueueHarness();

    @TaskName("outcome")
    @Retry(maxAttempts = 1)
    static final class Outcome implements TaskHandler<Ref> {
        @Override
        public void handle(Ref args) {
            if (args.ref().startsWith("fail")) {
                throw new IllegalStateException("failed " + args.ref());
            }
        }
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private void runAll(Engine engine) {
        for (var batch = engine.claimer().runOnce(); !batch.isEmpty(); batch = engine.claimer().runOnce()) {
            batch.forEach(engine.runner()::run);
        }
    }

    @Test
    void byDefaultSucceededTasksAreDeletedAndFailedOnesKept() {
        Engine engine = h.start(new Outcome());
        h.tasks().enqueue(Outcome.class, new Ref("ok"), h.options());
        h.tasks().enqueue(Outcome.class, new Ref("fail"), h.options());
        runAll(engine);

        h.clock.advance(Duration.ofDays(3650));
        assertEquals(new Pruned(0, 0), engine.pruner().runOnce());
        assertEquals(List.of(TaskState.FAILED), h.rows().stream().map(Task::getState).toList());
    }

    @Test
    void keptTasksArePrunedInBatchesOnceTheirRetentionHasPassed() {
        Engine engine = h.startWith(settings -> settings.with(WorkerSettings.SUCCEEDED_RETENTION, "1h")
                .with(WorkerSettings.FAILED_RETENTION, "7d").with(WorkerSettings.BATCH_SIZE, "100"), new Outcome());
        h.tasks().enqueueAll(Outcome.class, IntStream.range(0, 2_500).mapToObj(i -> new Ref("ok" + i)).toList(),
                h.options());
        h.tasks().enqueue(Outcome.class, new Ref("fail"), h.options());
        runAll(engine);
        assertEquals(2_500, h.count(TaskState.SUCCEEDED));

        h.clock.advance(Duration.ofMinutes(59));
        assertEquals(new Pruned(0, 0), engine.pruner().runOnce(), "not yet");
        h.clock.advance(Duration.ofMinutes(2));
        // The pruner works on the whole table: tasks other tests left behind may go with this queue's.
        Pruned pruned = engine.pruner().runOnce();
        assertTrue(pruned.succeeded() >= 2_500, "2,500 in batches of 1,000, and more: " + pruned);
        assertEquals(0, pruned.failed());
        assertEquals(0, h.count(TaskState.SUCCEEDED));
        assertEquals(1, h.count(TaskState.FAILED));

        h.clock.advance(Duration.ofDays(7));
        assertTrue(engine.pruner().runOnce().failed() >= 1);
        assertEquals(List.of(), h.rows());
    }
}
