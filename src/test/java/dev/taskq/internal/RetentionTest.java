package dev.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.Task;
import dev.taskq.TaskState;
import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.Retry;
import dev.taskq.ResultHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.internal.Pruner.Pruned;
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

    /** What a computing handler returns. */
    record Size(String ref, int length) {
    }

    /** Jackson cannot write it: its one property throws. */
    static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("no value today");
        }
    }

    @TaskName("measure")
    @Retry(maxAttempts = 1)
    static final class Measure implements ResultHandler<Ref, Object> {
        @Override
        public Object compute(Ref args) {
            return switch (args.ref()) {
                case "nothing" -> null;
                case "unwritable" -> new Unwritable();
                default -> new Size(args.ref(), args.ref().length());
            };
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
    void aKeptTaskHoldsWhatItsHandlerReturned() throws Exception {
        Engine engine = h.startWith(settings -> settings.with(WorkerSettings.SUCCEEDED_RETENTION, "1h"),
                new Measure());
        long measured = h.tasks().enqueue(Measure.class, new Ref("teapot"), h.options());
        long nothing = h.tasks().enqueue(Measure.class, new Ref("nothing"), h.options());
        long unwritable = h.tasks().enqueue(Measure.class, new Ref("unwritable"), h.options());
        runAll(engine);

        Task kept = h.row(measured);
        assertEquals(TaskState.SUCCEEDED, kept.getState());
        assertEquals(new Size("teapot", 6), new ObjectMapper().readValue(kept.getResult(), Size.class));
        assertEquals(TaskState.SUCCEEDED, h.row(nothing).getState());
        assertNull(h.row(nothing).getResult());
        Task failed = h.row(unwritable);
        assertEquals(TaskState.FAILED, failed.getState(), "a result that cannot be kept fails the attempt");
        assertTrue(failed.getLastError().contains("Task handler 'measure' returned a "
                + Unwritable.class.getName() + " that Jackson cannot write as JSON"), failed.getLastError());
    }

    @Test
    void withoutRetentionAResultIsDroppedWithItsTask() {
        Engine engine = h.start(new Measure());
        h.tasks().enqueue(Measure.class, new Ref("teapot"), h.options());
        h.tasks().enqueue(Measure.class, new Ref("unwritable"), h.options());
        runAll(engine);

        assertEquals(List.of(), h.rows(), "both succeeded and were deleted: a result nobody keeps is not written");
    }

    @Test
    void keptTasksArePrunedInBatchesOnceTheirRetentionHasPassed() {
        Engine engine = h.startWith(settings -> settings.with(WorkerSettings.SUCCEEDED_RETENTION, "1h")
                .with(WorkerSettings.FAILED_RETENTION, "7d").with(WorkerSettings.PREFETCH, "100"), new Outcome());
        h.tasks().enqueueAll(Outcome.class, IntStream.range(0, 2_500).mapToObj(i -> new Ref("ok" + i)).toList(),
                h.options());
        h.tasks().enqueue(Outcome.class, new Ref("fail"), h.options());
        runAll(engine);
        assertEquals(2_500, h.count(TaskState.SUCCEEDED));

        h.clock.advance(Duration.ofMinutes(59));
        engine.pruner().runOnce(); // may take rows other tests left behind, long finished: never this queue's yet
        assertEquals(2_500, h.count(TaskState.SUCCEEDED), "not yet");
        assertEquals(1, h.count(TaskState.FAILED), "not yet");
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

    @Test
    void cancelledTasksArePrunedLikeFailedOnes() {
        Engine engine = h.startWith(settings -> settings.with(WorkerSettings.FAILED_RETENTION, "7d"), new Outcome());
        long id = h.tasks().enqueue(Outcome.class, new Ref("never"), h.options());
        assertTrue(engine.admin().cancel(id, "ops"));

        h.clock.advance(Duration.ofDays(7).minusMinutes(1));
        engine.pruner().runOnce();
        assertEquals(1, h.count(TaskState.CANCELLED), "kept for the failed tasks' retention");
        h.clock.advance(Duration.ofMinutes(2));
        assertTrue(engine.pruner().runOnce().failed() >= 1);
        assertEquals(List.of(), h.rows());
    }
}
