package dev.taskq.testing;

import dev.taskq.TaskHandler;
import dev.taskq.TaskOptions;
import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.Engine;
import dev.taskq.internal.HandlerBinding;
import dev.taskq.internal.TaskEnqueued;
import dev.taskq.internal.cdi.CdiEngine;
import dev.taskq.internal.cdi.TaskQClock;
import dev.taskq.internal.cdi.TaskQExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Helps an application test its own use of TaskQ, in the server (for example from an Arquillian test):
 *
 * <pre>{@code
 * @Inject TaskQTesting taskq;
 *
 * @Test
 * void placingAnOrderSendsItsConfirmation() {
 *     taskq.reset();
 *     long id = shop.placeOrder("ada@example.com", "teapot", 2).getId();
 *     taskq.assertEnqueued(SendConfirmation.class, new OrderRef(id));
 *     taskq.runDueTasks();                          // on this thread, now
 *     assertNotNull(shop.find(id).getConfirmationSentAt());
 * }
 * }</pre>
 *
 * <p>It exists only in a deployment that opts in with the setting {@code taskq.testing.enabled=true} (for example
 * one line in the test deployment's {@code META-INF/microprofile-config.properties}). In production it is no bean:
 * nothing observes or keeps enqueued tasks, and TaskQ's clock cannot be moved.
 *
 * <p>It sees the tasks enqueued since {@link #reset()} whose transaction committed, even after they ran. For
 * tests that run tasks themselves, switch the application's worker off ({@code taskq.worker.enabled=false}).
 */
@ApplicationScoped
public class TaskQTesting {

    @Inject
    TaskQExtension taskq;

    @Inject
    CdiEngine engine;

    @Inject
    TaskQClock clock;

    private final List<TaskEnqueued> enqueued = new CopyOnWriteArrayList<>();

    void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) TaskEnqueued task) {
        enqueued.add(task);
    }

    /** Forgets what was enqueued so far: call it as a test begins. */
    public void reset() {
        enqueued.clear();
    }

    /** @return the ids of the tasks enqueued and committed since {@link #reset()}, in order */
    public List<Long> enqueuedIds() {
        return enqueued.stream().map(TaskEnqueued::id).toList();
    }

    /**
     * Asserts that a task for {@code handler} with these arguments was enqueued and committed.
     *
     * @return its id
     * @throws AssertionError listing what was enqueued instead
     */
    public <A> long assertEnqueued(Class<? extends TaskHandler<A>> handler, A args) {
        return assertEnqueued(handler, args, null);
    }

    /**
     * Asserts that a task for {@code handler} with these arguments and options (queue, priority, unique key, and
     * attempts if given; delay or ETA as an ETA within a second) was enqueued and committed.
     *
     * @return its id
     * @throws AssertionError listing what was enqueued instead
     */
    public <A> long assertEnqueued(Class<? extends TaskHandler<A>> handler, A args, TaskOptions options) {
        HandlerBinding binding = taskq.handlers().require(handler);
        Object expected = taskq.codec().read(taskq.codec().write(args), binding.argsType());
        for (TaskEnqueued task : enqueued) {
            if (task.name().equals(binding.name())
                    && Objects.equals(expected, taskq.codec().read(task.args(), binding.argsType()))
                    && (options == null || matches(task, options))) {
                return task.id();
            }
        }
        List<String> seen = new ArrayList<>();
        enqueued.forEach(task -> seen.add(task.name() + " " + task.args() + " in " + task.queue()));
        throw new AssertionError("No task '" + binding.name() + "' with arguments " + taskq.codec().write(args)
                + (options == null ? "" : " and " + options) + " was enqueued. Enqueued since reset(): " + seen);
    }

    private boolean matches(TaskEnqueued task, TaskOptions options) {
        boolean etaMatches = options.eta().or(() -> options.delay().map(delay -> clock.clock().instant().plus(delay)))
                .map(eta -> Duration.between(eta, task.eta()).abs().compareTo(Duration.ofSeconds(1)) <= 0)
                .orElse(true);
        return task.queue().equals(options.queue()) && task.priority() == options.priority()
                && Objects.equals(task.uniqueKey(), options.uniqueKey().orElse(null))
                && (options.maxAttempts().isEmpty() || options.maxAttempts().getAsInt() == task.maxAttempts())
                && etaMatches;
    }

    /**
     * Runs every due task of the application's queues now, on this thread, each as the worker would (in its
     * transaction, with retries scheduled by back-off), until none is due.
     *
     * @return how many attempts ran
     */
    public int runDueTasks() {
        Engine parts = engine.engine();
        int ran = 0;
        for (List<ClaimedTask> batch = parts.claimer().runOnce(); !batch.isEmpty();
                batch = parts.claimer().runOnce()) {
            batch.forEach(parts.runner()::run);
            ran += batch.size();
        }
        return ran;
    }

    /** Moves TaskQ's clock forward, so that delayed tasks and retries come due now. */
    public void advanceClock(Duration duration) {
        clock.clock().advance(duration);
    }
}
