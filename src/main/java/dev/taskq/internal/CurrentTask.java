package dev.taskq.internal;

import dev.taskq.TaskContext;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The task whose attempt runs on this thread, while its handler runs: what {@link TaskContext} reads. One view
 * serves every handler, since each call looks at the calling thread.
 */
public final class CurrentTask {

    private static final ThreadLocal<RunningTasks.Run> RUNNING = new ThreadLocal<>();
    private static final TaskContext VIEW = new View();

    private CurrentTask() {
    }

    /** @return the context every handler reads its task from */
    public static TaskContext view() {
        return VIEW;
    }

    /** Runs {@code handler} as {@code run}'s attempt on this thread. */
    static <T> T during(RunningTasks.Run run, Supplier<T> handler) {
        RunningTasks.Run outer = RUNNING.get();
        RUNNING.set(run);
        try {
            return handler.get();
        } finally {
            if (outer == null) {
                RUNNING.remove();
            } else {
                RUNNING.set(outer);
            }
        }
    }

    private static ClaimedTask task() {
        return run().task;
    }

    private static RunningTasks.Run run() {
        RunningTasks.Run run = RUNNING.get();
        if (run == null) {
            throw new IllegalStateException("No task runs on this thread: TaskContext reads the task of the handler "
                    + "that calls it, on the thread TaskQ runs it on, while it runs.");
        }
        return run;
    }

    private static final class View implements TaskContext {
        @Override
        public long id() {
            return task().id();
        }

        @Override
        public String name() {
            return task().name();
        }

        @Override
        public String queue() {
            return task().queue();
        }

        @Override
        public int attempt() {
            return task().attempt();
        }

        @Override
        public int maxAttempts() {
            return task().maxAttempts();
        }

        @Override
        public Instant enqueuedAt() {
            return task().enqueuedAt();
        }

        @Override
        public Instant dueAt() {
            return task().eta();
        }

        @Override
        public boolean cancelRequested() {
            return run().cancelled();
        }

        @Override
        public String toString() {
            RunningTasks.Run run = RUNNING.get();
            return run == null ? "TaskContext (no task on this thread)" : "TaskContext of " + TaskRef.of(run.task);
        }
    }
}
